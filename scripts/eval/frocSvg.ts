import type { FrocPoint } from './froc';

/** A curve's 95 % interval at some false-mark rates (bootstrap.ts), drawn as a shaded band. */
export interface FrocBandPoint {
  falseMarksPerImage: number;
  lower: number;
  upper: number;
}

/** The false-mark rates a band is sampled at: log-spaced over the plot's 0.05-10. */
export const FROC_BAND_RATES = Array.from({ length: 41 }, (_, i) => 0.05 * Math.pow(200, i / 40));

/**
 * A FROC plot as a small hand-written SVG: log-scaled false marks per image (0.05-10) against
 * sensitivity; a curve with a band gets its interval shaded behind it.
 */
export function frocSvg(
  curves: { name: string; points: FrocPoint[]; colour: string; band?: FrocBandPoint[] }[],
  title: string,
): string {
  const w = 480;
  const h = 360;
  const left = 60;
  const right = 20;
  const top = 40;
  const bottom = 50;
  const xMin = Math.log10(0.05);
  const xMax = Math.log10(10);
  const px = (fpi: number) =>
    left + ((Math.log10(Math.max(fpi, 0.05)) - xMin) / (xMax - xMin)) * (w - left - right);
  const py = (s: number) => top + (1 - s) * (h - top - bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${w / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
  ];
  for (const t of [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10]) {
    parts.push(`<line x1="${px(t)}" y1="${top}" x2="${px(t)}" y2="${h - bottom}" stroke="#ddd"/>`);
    parts.push(`<text x="${px(t)}" y="${h - bottom + 16}" text-anchor="middle">${t}</text>`);
  }
  for (let s = 0; s <= 1.0001; s += 0.2) {
    parts.push(`<line x1="${left}" y1="${py(s)}" x2="${w - right}" y2="${py(s)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${py(s) + 4}" text-anchor="end">${s.toFixed(1)}</text>`);
  }
  parts.push(
    `<text x="${(left + w - right) / 2}" y="${h - 12}" text-anchor="middle">false marks per image</text>`,
  );
  parts.push(
    `<text x="16" y="${(top + h - bottom) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(top + h - bottom) / 2})">sensitivity</text>`,
  );
  for (const c of curves) {
    if (!c.band || c.band.length === 0) continue;
    const upper = c.band.map((b) => `${px(b.falseMarksPerImage).toFixed(1)},${py(b.upper).toFixed(1)}`);
    const lower = [...c.band]
      .reverse()
      .map((b) => `${px(b.falseMarksPerImage).toFixed(1)},${py(b.lower).toFixed(1)}`);
    parts.push(
      `<polygon fill="${c.colour}" fill-opacity="0.15" stroke="none" points="${[...upper, ...lower].join(' ')}"/>`,
    );
  }
  curves.forEach((c, k) => {
    // Step curve: sensitivity holds until the next false mark.
    const pts: string[] = [];
    let prev: FrocPoint | null = null;
    for (const p of c.points) {
      if (!Number.isFinite(p.sensitivity)) continue;
      if (prev) pts.push(`${px(p.falseMarksPerImage).toFixed(1)},${py(prev.sensitivity).toFixed(1)}`);
      pts.push(`${px(p.falseMarksPerImage).toFixed(1)},${py(p.sensitivity).toFixed(1)}`);
      prev = p;
    }
    if (prev) pts.push(`${px(10).toFixed(1)},${py(prev.sensitivity).toFixed(1)}`);
    if (pts.length > 0)
      parts.push(`<polyline fill="none" stroke="${c.colour}" stroke-width="2" points="${pts.join(' ')}"/>`);
    // A curve without targets has no sensitivity to draw: say so rather than draw it at 0.
    const name = !prev
      ? `${c.name}: no targets`
      : c.band?.length
        ? `${c.name} (shaded: 95 % interval)`
        : c.name;
    parts.push(
      `<text x="${left + 10}" y="${top + 16 + 16 * k}" fill="${c.colour}">${escapeXml(name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
