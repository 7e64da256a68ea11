import type { Point } from '../findings/types';

/**
 * What detection needs of a prepared image (a structural subset of imaging's PreparedImage): the
 * working-grid pixels (calcifications bright), the breast mask (1 = breast) and the map back to the
 * original pixel grid.
 */
export interface WorkingImage {
  pixels: Float32Array;
  width: number;
  height: number;
  mask: Uint8Array;
  transform: { toOriginal(p: Point): Point };
}
