import { fillHoles, keepLargestComponent, morph3x3 } from './binaryMorphology';
import { otsuThresholdBin } from './otsuThreshold';
import { blockMean, expandToFullGrid, fullGridPixelCount, reducedGrid } from './reducedGrid';

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
  const grid = reducedGrid(width, height, MASK_GRID_LONG_SIDE);
  const { sw, sh } = grid;
  const small = blockMean(pixels, grid);

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

  return { mask: expandToFullGrid(fg, grid), threshold, areaFraction: fullGridPixelCount(fg, grid) / (width * height) };
}
