/**
 * THE DETECTOR'S INPUT CONTRACT (the model is trained on exactly this; change it and retrain):
 * - Input: calibrated values (calibrateIntensity.ts), higher = more attenuating, on the working grid.
 * - Over breast pixels (mask = 1): value ← (value − median) / spread, where spread is the
 *   interquartile range / 1.349 (the standard deviation for Gaussian data, robust to calcifications,
 *   skin and pectoral muscle). So the breast median is 0, typical tissue lies within about ±3, and
 *   calcifications are positive outliers.
 * - Background (mask = 0): exactly BACKGROUND_VALUE.
 * - When the spread is 0 (flat images), 1 is used so values stay finite.
 * Quantiles come from a 4096-bin histogram over the breast range (error < range/4096; far below the
 * spread for any real image), built from at most about a million breast pixels on a regular stride
 * (enough for quantiles to a fraction of a percent), so large images cost one full pass (the output).
 */
export const BACKGROUND_VALUE = -4;

const BINS = 4096;
const MAX_SAMPLES = 1 << 20;

export interface IntensityStats {
  median: number;
  spread: number;
}

export function breastIntensityStats(pixels: Float32Array, mask: Uint8Array): IntensityStats {
  // An odd stride so the samples do not line up with image columns.
  const stride = Math.max(1, Math.floor(pixels.length / MAX_SAMPLES)) | 1;
  let lo = Infinity;
  let hi = -Infinity;
  let count = 0;
  for (let i = 0; i < pixels.length; i += stride) {
    if (!mask[i]) continue;
    const v = pixels[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    count++;
  }
  if (count === 0 || !(hi > lo)) return { median: count ? lo : 0, spread: 1 };
  const histogram = new Float64Array(BINS);
  const scale = BINS / (hi - lo);
  for (let i = 0; i < pixels.length; i += stride) {
    if (mask[i]) histogram[Math.min(BINS - 1, ((pixels[i] - lo) * scale) | 0)]++;
  }
  const quantile = (q: number): number => {
    const target = q * count;
    let acc = 0;
    for (let b = 0; b < BINS; b++) {
      const next = acc + histogram[b];
      if (next >= target) return lo + (b + (histogram[b] > 0 ? (target - acc) / histogram[b] : 0)) / scale;
      acc = next;
    }
    return hi;
  };
  const spread = (quantile(0.75) - quantile(0.25)) / 1.349;
  return { median: quantile(0.5), spread: spread > 0 ? spread : 1 };
}

/** Applies the contract in place and returns the statistics used. */
export function normalizeIntensity(pixels: Float32Array, mask: Uint8Array): IntensityStats {
  const stats = breastIntensityStats(pixels, mask);
  const inv = 1 / stats.spread;
  const m = stats.median;
  for (let i = 0; i < pixels.length; i++) pixels[i] = mask[i] ? (pixels[i] - m) * inv : BACKGROUND_VALUE;
  return stats;
}
