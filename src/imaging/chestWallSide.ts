import type { ImageHeader } from './imageHeader';

export interface ChestWallDecision {
  /** True when the image must be mirrored so the chest wall is at x = 0. */
  flip: boolean;
  source: 'patientOrientation' | 'mask' | 'laterality' | 'none';
}

/** How much more mask must touch one side edge than the other before the mask decides. */
const MASK_DECISIVE_RATIO = 2;

/**
 * Which side the chest wall is on, in this order:
 * 1. Patient Orientation (0020,0020), first value = direction of increasing column: 'A' (toward the
 *    nipple) → chest wall left; 'P' → chest wall right. Authoritative when the modality filled it.
 * 2. The breast mask: the chest wall is the image edge the breast touches along a long run; the nipple
 *    side is free. Data beats conventions: mini-MIAS stores left breasts facing left, FFDM systems
 *    usually the opposite.
 * 3. Laterality with the usual FFDM storage convention (left breast: chest wall left).
 */
export function decideChestWallSide(header: ImageHeader, mask: Uint8Array, width: number, height: number): ChestWallDecision {
  const rowDirection = header.patientOrientation?.[0] ?? '';
  if (rowDirection.startsWith('A')) return { flip: false, source: 'patientOrientation' };
  if (rowDirection.startsWith('P')) return { flip: true, source: 'patientOrientation' };

  let left = 0;
  let right = 0;
  for (let y = 0; y < height; y++) {
    left += mask[y * width];
    right += mask[y * width + width - 1];
  }
  if (left > MASK_DECISIVE_RATIO * right && left > 0) return { flip: false, source: 'mask' };
  if (right > MASK_DECISIVE_RATIO * left && right > 0) return { flip: true, source: 'mask' };
  // Fall back to which half holds more breast (a breast not touching either edge, e.g. cropped).
  if (left === 0 && right === 0) {
    let leftHalf = 0;
    let rightHalf = 0;
    const half = width >> 1;
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let x = 0; x < half; x++) leftHalf += mask[row + x];
      for (let x = half; x < width; x++) rightHalf += mask[row + x];
    }
    if (leftHalf > MASK_DECISIVE_RATIO * rightHalf) return { flip: false, source: 'mask' };
    if (rightHalf > MASK_DECISIVE_RATIO * leftHalf) return { flip: true, source: 'mask' };
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
