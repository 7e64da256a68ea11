import type { Point } from '../findings/types';

/**
 * Nipple position on a prepared image (chest wall at x = 0, nipple toward +x; see
 * src/imaging/preparedImage.ts): the middle of the breast pixels in the column farthest from the
 * chest wall (at that column's outer edge, in continuous coordinates). Null when the mask is empty.
 */
export function estimateNipple(mask: Uint8Array, width: number, height: number): Point | null {
  for (let x = width - 1; x >= 0; x--) {
    let sum = 0;
    let n = 0;
    for (let y = 0; y < height; y++) {
      if (mask[y * width + x]) {
        sum += y;
        n++;
      }
    }
    if (n > 0) return { x: x + 1, y: sum / n + 0.5 };
  }
  return null;
}
