import type { PixelMap } from './centreMap';
import { scoreLogit } from './clusterFilterFeatures';

export interface PeakSplitRule {
  /** A peak beats every pixel of its component within this Chebyshev radius. */
  radiusPx: number;
  /** Log-odds the signal must dip towards the nearest stronger peak kept. */
  minDipLogit: number;
  /** Peaks below this value do not count. */
  minPeak: number;
  /** Components of fewer pixels stay whole. */
  minAreaPx: number;
}

/**
 * Touching calcifications of a dense cluster merge into one heatmap component (on the synthetic
 * hold-out at threshold 0.8, a quarter of the per-speck targets sat in such a blob, and its single
 * centre missed them all). A component with several distinct peaks is split into one region per
 * peak: each pixel goes to its nearest peak. A peak is a pixel whose heatmap value no other pixel
 * of the same component within `radiusPx` (Chebyshev) beats; equal values go to the earlier pixel,
 * so a flat plateau keeps one peak. A peak counts as distinct only if the signal dips by at least
 * `minDipLogit` (log-odds) on the straight line to the nearest stronger distinct peak: otherwise it
 * is a ripple on one blob (upsampled film grain on mini-MIAS gave blobs with 4-5 such ripples).
 * Peaks below `minPeak` do not count, and components smaller than `minAreaPx` stay whole (a merged
 * dense cluster is larger than a grain blob). The signal is the heatmap or the detector's
 * speck-centre map. `foreground` lists the labelled pixels (row-major); the result gives each of
 * them its speck label, so nothing here scans the whole image.
 */
export function splitAtPeaks(
  components: Int32Array,
  foreground: readonly number[],
  signal: PixelMap,
  width: number,
  height: number,
  rule: PeakSplitRule,
  firstFreeLabel: number,
): { speckOf: Int32Array; componentOf: Map<number, number> } {
  // speckOf[k]: the speck label of pixel foreground[k] (the component's own label unless split).
  const speckOf = Int32Array.from(foreground, (i) => components[i]);
  const componentOf = new Map<number, number>();
  const membersOf = new Map<number, number[]>();
  foreground.forEach((i, k) => {
    const c = components[i];
    let list = membersOf.get(c);
    if (!list) membersOf.set(c, (list = []));
    list.push(k);
  });
  let next = firstFreeLabel;
  for (const [component, members] of membersOf) {
    componentOf.set(component, component);
    if (members.length < Math.max(2, rule.minAreaPx)) continue;
    const pixels = members.map((k) => foreground[k]);
    const peaks = distinctPeaks(
      pixels.filter((i) => signal.at(i) >= rule.minPeak && isPeak(i, component, components, signal, width, height, rule.radiusPx)),
      signal,
      width,
      rule.minDipLogit,
    );
    if (peaks.length < 2) continue;
    const labels = peaks.map((_, k) => (k === 0 ? component : next++));
    for (let k = 1; k < labels.length; k++) componentOf.set(labels[k], component);
    for (const k of members) speckOf[k] = labels[nearest(foreground[k], peaks, width)];
  }
  return { speckOf, componentOf };
}

function isPeak(
  i: number,
  component: number,
  components: Int32Array,
  signal: PixelMap,
  width: number,
  height: number,
  r: number,
): boolean {
  const x = i % width;
  const y = (i - x) / width;
  const v = signal.at(i);
  for (let yy = Math.max(0, y - r); yy <= Math.min(height - 1, y + r); yy++) {
    for (let xx = Math.max(0, x - r); xx <= Math.min(width - 1, x + r); xx++) {
      const j = yy * width + xx;
      if (j === i || components[j] !== component) continue;
      const s = signal.at(j);
      if (s > v || (s === v && j < i)) return false;
    }
  }
  return true;
}

/** Index in `candidates` (pixel indices) of the one nearest to pixel i; the first on ties. */
function nearest(i: number, candidates: number[], width: number): number {
  const x = i % width;
  const y = (i - x) / width;
  let best = 0;
  let bestD = Infinity;
  for (let k = 0; k < candidates.length; k++) {
    const cx = candidates[k] % width;
    const d = (cx - x) ** 2 + ((candidates[k] - cx) / width - y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

/** Peaks, strongest first, that dip by at least minDipLogit towards the nearest stronger one kept. */
function distinctPeaks(peaks: number[], signal: PixelMap, width: number, minDipLogit: number): number[] {
  if (peaks.length < 2 || minDipLogit <= 0) return peaks;
  const kept: number[] = [];
  for (const p of [...peaks].sort((a, b) => signal.at(b) - signal.at(a) || a - b)) {
    if (kept.length === 0 || dipLogit(p, kept[nearest(p, kept, width)], signal, width) >= minDipLogit)
      kept.push(p);
  }
  return kept;
}

/** How far (log-odds) the heatmap falls below the weaker of two pixels on the straight line between them. */
function dipLogit(p: number, q: number, signal: PixelMap, width: number): number {
  const px = p % width;
  const py = (p - px) / width;
  const qx = q % width;
  const qy = (q - qx) / width;
  const steps = Math.ceil(2 * Math.hypot(qx - px, qy - py));
  let lowest = Infinity;
  for (let k = 0; k <= steps; k++) {
    const x = Math.round(px + ((qx - px) * k) / steps);
    const y = Math.round(py + ((qy - py) * k) / steps);
    lowest = Math.min(lowest, scoreLogit(signal.at(y * width + x)));
  }
  return Math.min(scoreLogit(signal.at(p)), scoreLogit(signal.at(q))) - lowest;
}
