import type { Point } from '../findings/types';

/** Maps continuous pixel coordinates (x = column, y = row; (0,0) = top-left corner of the top-left pixel). */
export interface ImageTransform {
  toOriginal(p: Point): Point;
  toWorking(p: Point): Point;
}

export interface WorkingGridGeometry {
  /** Original grid size. */
  originalColumns: number;
  originalRows: number;
  /** Working grid size. */
  width: number;
  height: number;
  /** Mirror left-right so the chest wall lands at x = 0. */
  flipped: boolean;
}

/**
 * The exact affine map between the original pixel grid and the working grid. Scale per axis is
 * width / originalColumns and height / originalRows, so the working grid covers exactly the original
 * image (the edge pixels line up, and the flip mirrors about the same line in both grids).
 */
export function makeImageTransform(g: WorkingGridGeometry): ImageTransform {
  const sx = g.width / g.originalColumns;
  const sy = g.height / g.originalRows;
  const C = g.originalColumns;
  return g.flipped
    ? {
        toWorking: (p) => ({ x: (C - p.x) * sx, y: p.y * sy }),
        toOriginal: (p) => ({ x: C - p.x / sx, y: p.y / sy }),
      }
    : {
        toWorking: (p) => ({ x: p.x * sx, y: p.y * sy }),
        toOriginal: (p) => ({ x: p.x / sx, y: p.y / sy }),
      };
}
