import type { Point } from '../../src/findings/types';
import { makeImageTransform } from '../../src/imaging/imageTransform';
import { BACKGROUND_VALUE } from '../../src/imaging/normalizeIntensity';
import type { PreparedImage } from '../../src/imaging/preparedImage';
import { SeededRandom } from '../../src/synth/random';

/** A cluster to draw: centre (working px), speck count, speck diameter range (mm), spread (mm), CNR. */
export interface DrawnCluster {
  center: Point;
  specks: number;
  diameterMm: [number, number];
  radiusMm: number;
  cnr: number;
}

/**
 * A prepared image made directly on the working grid, for tests and the speed benchmark without the
 * decoder: a half-elliptic breast against the chest wall at x = 0, smooth separable texture of about
 * unit spread (the detector input contract), white noise, and anti-aliased disc specks whose peak
 * is `cnr` times the noise. Deterministic for a seed.
 */
export function syntheticPreparedImage(options: {
  width: number;
  height: number;
  seed: number;
  spacingMm?: number;
  noise?: number;
  clusters?: DrawnCluster[];
  laterality?: 'L' | 'R';
}): { image: PreparedImage; specks: { x: number; y: number; clusterIndex: number }[] } {
  const { width, height, seed, spacingMm = 0.07, noise = 0.1, clusters = [] } = options;
  const rng = new SeededRandom(seed);
  const pixels = new Float32Array(width * height);
  const mask = new Uint8Array(width * height);
  // Texture: a sum of separable low-frequency waves (wavelengths 3-30 mm), cheap on a large grid.
  const terms = Array.from({ length: 10 }, () => {
    const fx = (2 * Math.PI * spacingMm) / rng.uniform(3, 30);
    const fy = (2 * Math.PI * spacingMm) / rng.uniform(3, 30);
    const px = rng.uniform(0, 2 * Math.PI);
    const py = rng.uniform(0, 2 * Math.PI);
    const amp = rng.uniform(0.2, 0.45);
    return {
      cx: Float32Array.from({ length: width }, (_, x) => amp * Math.cos(fx * x + px)),
      cy: Float32Array.from({ length: height }, (_, y) => Math.cos(fy * y + py)),
    };
  });
  const ax = width * 0.85;
  const ay = height * 0.46;
  const my = height / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if ((x / ax) ** 2 + ((y - my) / ay) ** 2 > 1) {
        pixels[i] = BACKGROUND_VALUE;
        continue;
      }
      mask[i] = 1;
      let v = 0;
      for (const t of terms) v += t.cx[x] * t.cy[y];
      pixels[i] = v + noise * rng.normal();
    }
  }
  const specks: { x: number; y: number; clusterIndex: number }[] = [];
  clusters.forEach((c, k) => {
    for (let s = 0; s < c.specks; s++) {
      const angle = rng.uniform(0, 2 * Math.PI);
      const r = (Math.sqrt(rng.next()) * c.radiusMm) / spacingMm;
      const x = c.center.x + r * Math.cos(angle);
      const y = c.center.y + r * Math.sin(angle);
      const radiusPx = rng.uniform(c.diameterMm[0], c.diameterMm[1]) / spacingMm / 2;
      drawDisc(pixels, mask, width, height, x, y, radiusPx, c.cnr * noise);
      specks.push({ x, y, clusterIndex: k });
    }
  });
  const image: PreparedImage = {
    pixels,
    width,
    height,
    workingSpacingMm: spacingMm,
    mask,
    transform: makeImageTransform({ originalColumns: width, originalRows: height, width, height, flipped: false }),
    spacingSource: 'pixelSpacing',
    originalSpacingMm: [spacingMm, spacingMm],
    flipped: false,
    header: { numberOfFrames: 1, rows: height, columns: width, laterality: options.laterality ?? 'L', viewCode: 'CC', studyUid: '1.2.3', seriesUid: '1.2.3.1', sopInstanceUid: `1.2.3.1.${seed}` },
  };
  return { image, specks };
}

/** Anti-aliased disc, slightly soft-edged like a blurred speck. */
function drawDisc(pixels: Float32Array, mask: Uint8Array, width: number, height: number, cx: number, cy: number, radius: number, amplitude: number): void {
  const reach = Math.ceil(radius + 2);
  for (let y = Math.max(0, Math.floor(cy - reach)); y <= Math.min(height - 1, Math.ceil(cy + reach)); y++) {
    for (let x = Math.max(0, Math.floor(cx - reach)); x <= Math.min(width - 1, Math.ceil(cx + reach)); x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      const cover = Math.min(1, Math.max(0, radius + 0.75 - d) / 1.5);
      pixels[i] += amplitude * cover;
    }
  }
}
