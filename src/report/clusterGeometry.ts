import type { ClusterFinding, Point } from '../findings/types';

/** The extent of an image in its pixel space: x in [0, columns], y in [0, rows]. */
export interface ImageExtent {
  rows: number;
  columns: number;
}

/**
 * The point moved inside the image if it lies outside (by rounding at an edge, say): SCOORDs and
 * graphics outside their image make viewers and validators reject the whole object.
 */
export function insideImage(p: Point, image: ImageExtent): Point {
  return { x: Math.min(Math.max(p.x, 0), image.columns), y: Math.min(Math.max(p.y, 0), image.rows) };
}

/**
 * The cluster outline as a closed polyline (last point equals the first), inside the image. A
 * cluster without an outline gets a one-pixel square around its centre.
 */
export function closedOutline(cluster: ClusterFinding, image: ImageExtent): Point[] {
  const c = cluster.center;
  const pts =
    cluster.outline.length >= 2
      ? cluster.outline
      : [
          { x: c.x - 1, y: c.y - 1 },
          { x: c.x + 1, y: c.y - 1 },
          { x: c.x + 1, y: c.y + 1 },
          { x: c.x - 1, y: c.y + 1 },
        ];
  const inside = pts.map((p) => insideImage(p, image));
  const first = inside[0];
  const last = inside[inside.length - 1];
  return first.x === last.x && first.y === last.y ? inside : [...inside, first];
}
