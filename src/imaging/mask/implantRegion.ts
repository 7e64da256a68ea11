import { keepLargestComponent, morph3x3 } from './binaryMorphology';
import { blockMean, expandToFullGrid, reducedGrid } from './reducedGrid';

const GRID_LONG_SIDE = 512;
/** Cells within this share of the image's range below its 99th percentile are "as bright as the implant". */
const PLATEAU_TOLERANCE = 0.03;
/** A smaller bright region is dense tissue, a marker or a large calcification, not an implant. */
const MIN_IMAGE_SHARE = 0.05;
/** The region is grown by this much, so its blurred edge stays out of the breast too. */
const MARGIN_MM = 1;

/**
 * The region a breast implant covers on a calibrated working image, or undefined when there is none:
 * the largest connected region whose block means on a reduced grid like the breast mask's (cells of
 * about 0.4-0.8 mm) lie within 3 % of the image's range of its 99th percentile, when it covers at
 * least 5 % of the image, grown by about 1 mm. A silicone implant is the most attenuating and the
 * flattest thing in a mammogram; left in, it moves the Otsu cut of the breast mask above the fatty
 * tissue around it and the normalisation's spread with it (models/HISTORY.md, "implant views").
 * Only asked of images that say they hold an implant.
 */
export function findImplantRegion(pixels: Float32Array, width: number, height: number, spacingMm: number): Uint8Array | undefined {
  const grid = reducedGrid(width, height, GRID_LONG_SIDE);
  const small = blockMean(pixels, grid);
  const sorted = Float32Array.from(small).sort();
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  if (!(hi > lo)) return undefined;
  const cut = sorted[Math.floor(0.99 * (sorted.length - 1))] - PLATEAU_TOLERANCE * (hi - lo);
  let cells: Uint8Array = new Uint8Array(small.length);
  for (let i = 0; i < small.length; i++) cells[i] = small[i] >= cut ? 1 : 0;
  if (keepLargestComponent(cells, grid.sw, grid.sh) < MIN_IMAGE_SHARE * small.length) return undefined;
  const grow = Math.ceil(MARGIN_MM / (spacingMm * grid.factor));
  for (let k = 0; k < grow; k++) cells = morph3x3(cells, grid.sw, grid.sh, false);
  return expandToFullGrid(cells, grid);
}

/** Sets the implant's pixels to the image's lowest value, so the breast mask leaves them out as it does the air. */
export function leaveOutImplant(pixels: Float32Array, region: Uint8Array): void {
  let lowest = Infinity;
  for (let i = 0; i < pixels.length; i++) if (pixels[i] < lowest) lowest = pixels[i];
  for (let i = 0; i < pixels.length; i++) if (region[i]) pixels[i] = lowest;
}
