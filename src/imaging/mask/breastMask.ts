import { fillHoles, keepLargestComponent, morph3x3 } from './binaryMorphology';
import { otsuThresholdBin } from './otsuThreshold';

export interface BreastMask {
  /** 1 = breast, same grid as the input. */
  mask: Uint8Array;
  /** Intensity threshold used (input units). */
  threshold: number;
  /** Share of the image covered by the mask. */
  areaFraction: number;
}

/** The mask is found on a reduced grid (long side about this many pixels) and brought back up. */
const MASK_GRID_LONG_SIDE = 512;
const HISTOGRAM_BINS = 256;
/**
 * Where between the background level and Otsu's threshold to cut. Otsu alone splits background from
 * dense tissue and loses the faint fatty rim near the skin; the cut is moved toward the background.
 */
const TOWARD_BACKGROUND = 0.5;

/**
 * Breast mask of a calibrated image (higher = more attenuating, so the breast is brighter than the
 * air around it): block-average to a small grid, threshold (Otsu, moved toward the background mode),
 * a 3×3 opening to cut thin bridges to labels, the largest connected component (drops burned-in
 * labels, markers and film edges, which are disconnected), hole filling, then back to full size.
 */
export function computeBreastMask(pixels: Float32Array, width: number, height: number): BreastMask {
  const factor = Math.max(1, Math.ceil(Math.max(width, height) / MASK_GRID_LONG_SIDE));
  const sw = Math.ceil(width / factor);
  const sh = Math.ceil(height / factor);
  const small = blockMean(pixels, width, height, factor, sw, sh);

  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < small.length; i++) {
    if (small[i] < lo) lo = small[i];
    if (small[i] > hi) hi = small[i];
  }
  const empty = { mask: new Uint8Array(width * height), threshold: hi, areaFraction: 0 };
  if (!(hi > lo)) return empty;
  const binWidth = (hi - lo) / HISTOGRAM_BINS;
  const histogram = new Float64Array(HISTOGRAM_BINS);
  for (let i = 0; i < small.length; i++)
    histogram[Math.min(HISTOGRAM_BINS - 1, Math.floor((small[i] - lo) / binWidth))]++;
  const otsuBin = otsuThresholdBin(histogram);
  let modeBin = 0;
  for (let b = 1; b <= otsuBin; b++) if (histogram[b] > histogram[modeBin]) modeBin = b;
  const cutBin = modeBin + TOWARD_BACKGROUND * (otsuBin + 1 - modeBin);
  const threshold = lo + cutBin * binWidth;

  let fg: Uint8Array = new Uint8Array(sw * sh);
  for (let i = 0; i < small.length; i++) fg[i] = small[i] > threshold ? 1 : 0;
  fg = morph3x3(morph3x3(fg, sw, sh, true), sw, sh, false);
  if (keepLargestComponent(fg, sw, sh) === 0) return empty;
  fillHoles(fg, sw, sh);

  // Back to full size: each small-grid cell becomes a run of `factor` pixels (native fill).
  const mask = new Uint8Array(width * height);
  let count = 0;
  for (let y = 0; y < height; y++) {
    const srow = ((y / factor) | 0) * sw;
    const row = y * width;
    for (let bx = 0; bx < sw; bx++) {
      if (!fg[srow + bx]) continue;
      const x0 = bx * factor;
      const x1 = Math.min(width, x0 + factor);
      mask.fill(1, row + x0, row + x1);
      count += x1 - x0;
    }
  }
  return { mask, threshold, areaFraction: count / (width * height) };
}

function blockMean(
  pixels: Float32Array,
  width: number,
  height: number,
  factor: number,
  sw: number,
  sh: number,
): Float32Array {
  const sum = new Float64Array(sw * sh);
  for (let y = 0; y < height; y++) {
    const srow = ((y / factor) | 0) * sw;
    const row = y * width;
    for (let bx = 0, x = 0; bx < sw; bx++) {
      const end = Math.min(width, x + factor);
      let acc = 0;
      for (; x < end; x++) acc += pixels[row + x];
      sum[srow + bx] += acc;
    }
  }
  // Pixels per block: full blocks factor², edge blocks fewer.
  const out = new Float32Array(sw * sh);
  for (let by = 0; by < sh; by++) {
    const rowsIn = Math.min(factor, height - by * factor);
    for (let bx = 0; bx < sw; bx++)
      out[by * sw + bx] = sum[by * sw + bx] / (rowsIn * Math.min(factor, width - bx * factor));
  }
  return out;
}
