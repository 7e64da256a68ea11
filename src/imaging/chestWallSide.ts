import type { ImageHeader } from './imageHeader';

export interface ChestWallDecision {
  /** True when the image must be mirrored so the chest wall is at x = 0. */
  flip: boolean;
  source: 'patientOrientation' | 'mask' | 'laterality' | 'none';
}

/** How much taller the breast must be at one end of its extent than the other for the mask to decide. */
const MASK_DECISIVE_RATIO = 1.5;
/** Share of the breast's width, at each end, whose column heights are compared. */
const END_BAND = 0.05;

/**
 * Which side the chest wall is on, in this order:
 * 1. Patient Orientation (0020,0020), first value = direction of increasing column: 'A' (toward the
 *    nipple) → chest wall left; 'P' → chest wall right. Authoritative when the modality filled it.
 * 2. The breast mask: the breast is tall at the chest wall and narrows to the nipple. The image
 *    itself beats a laterality that may be missing or wrong (as mini-MIAS's was read here up to 0.3.10).
 * 3. Laterality with the usual FFDM storage convention (left breast: chest wall left).
 */
export function decideChestWallSide(
  header: ImageHeader,
  mask: Uint8Array,
  width: number,
  height: number,
): ChestWallDecision {
  const rowDirection = header.patientOrientation?.[0] ?? '';
  if (rowDirection.startsWith('A')) return { flip: false, source: 'patientOrientation' };
  if (rowDirection.startsWith('P')) return { flip: true, source: 'patientOrientation' };

  // The chest wall is where the breast is tallest: compare the mask's column heights at the two
  // ends of its bounding box (robust to padding strips beside the breast, as in mini-MIAS).
  const heights = new Float64Array(width);
  const rowStep = Math.max(1, Math.floor(height / 1024)); // a thousand rows are plenty for heights
  for (let y = 0; y < height; y += rowStep) {
    const row = y * width;
    for (let x = 0; x < width; x++) heights[x] += mask[row + x];
  }
  let x0 = 0;
  while (x0 < width && heights[x0] === 0) x0++;
  let x1 = width - 1;
  while (x1 > x0 && heights[x1] === 0) x1--;
  if (x0 < width) {
    const band = Math.max(1, Math.round(END_BAND * (x1 - x0 + 1)));
    let left = 0;
    let right = 0;
    for (let k = 0; k < band; k++) {
      left += heights[Math.min(x1, x0 + k)];
      right += heights[Math.max(x0, x1 - k)];
    }
    if (left > MASK_DECISIVE_RATIO * right) return { flip: false, source: 'mask' };
    if (right > MASK_DECISIVE_RATIO * left) return { flip: true, source: 'mask' };
  }
  if (header.laterality === 'L') return { flip: false, source: 'laterality' };
  if (header.laterality === 'R') return { flip: true, source: 'laterality' };
  return { flip: false, source: 'none' };
}

/** Mirrors each row in place. */
export function flipRows<T extends Float32Array | Uint8Array>(data: T, width: number, height: number): T {
  for (let y = 0; y < height; y++) {
    let a = y * width;
    let b = a + width - 1;
    while (a < b) {
      const t = data[a];
      data[a++] = data[b];
      data[b--] = t;
    }
  }
  return data;
}
