import type { Ellipse, Point } from '../findings/types';
import { convexHull } from '../geometry/polygon';

/** Sides of the polygon standing in for each speck's disc. */
const DISC_SIDES = 12;

/**
 * Closed outline around discs (centre, radius) grown by margin: the convex hull of each disc's
 * polygon, so every speck lies inside with at least `margin` to spare. Last point equals first.
 */
export function clusterOutline(discs: { x: number; y: number; radius: number }[], margin: number): Point[] {
  const samples: Point[] = [];
  for (const d of discs) {
    // The polygon's edge midpoints sit at r*cos(pi/n): scale up so the disc stays inside.
    const r = (d.radius + margin) / Math.cos(Math.PI / DISC_SIDES);
    for (let k = 0; k < DISC_SIDES; k++) {
      const a = (2 * Math.PI * k) / DISC_SIDES;
      samples.push({ x: d.x + r * Math.cos(a), y: d.y + r * Math.sin(a) });
    }
  }
  const hull = convexHull(samples);
  return hull.length > 0 ? [...hull, { ...hull[0] }] : [];
}

/** Principal axes of a point set: unit major direction and the eigenvalues (major first). */
export function principalAxes(points: Point[]): { mean: Point; major: Point; lambda1: number; lambda2: number } {
  const n = points.length;
  const mean = { x: points.reduce((s, p) => s + p.x, 0) / n, y: points.reduce((s, p) => s + p.y, 0) / n };
  let cxx = 0;
  let cyy = 0;
  let cxy = 0;
  for (const p of points) {
    cxx += (p.x - mean.x) ** 2;
    cyy += (p.y - mean.y) ** 2;
    cxy += (p.x - mean.x) * (p.y - mean.y);
  }
  cxx /= n;
  cyy /= n;
  cxy /= n;
  const tr = cxx + cyy;
  const disc = Math.sqrt(Math.max(0, ((cxx - cyy) * (cxx - cyy)) / 4 + cxy * cxy));
  const angle = 0.5 * Math.atan2(2 * cxy, cxx - cyy);
  return { mean, major: { x: Math.cos(angle), y: Math.sin(angle) }, lambda1: tr / 2 + disc, lambda2: Math.max(0, tr / 2 - disc) };
}

/**
 * Ellipse along the principal axes of the speck centres, each half-axis long enough to reach the
 * farthest speck along it plus margin (so the ellipse, like the outline, encloses the cluster).
 */
export function clusterEllipse(discs: { x: number; y: number; radius: number }[], margin: number): Ellipse {
  const { mean, major } = principalAxes(discs);
  const minor = { x: -major.y, y: major.x };
  let a = 0;
  let b = 0;
  for (const d of discs) {
    const u = (d.x - mean.x) * major.x + (d.y - mean.y) * major.y;
    const v = (d.x - mean.x) * minor.x + (d.y - mean.y) * minor.y;
    a = Math.max(a, Math.abs(u) + d.radius);
    b = Math.max(b, Math.abs(v) + d.radius);
  }
  // An ellipse through the bounding box corners of a rectangle a x b needs sqrt(2) more per axis.
  a = (a + margin) * Math.SQRT2;
  b = (b + margin) * Math.SQRT2;
  let along = major;
  if (b > a) {
    [a, b] = [b, a];
    along = minor;
  }
  return ellipseFromAxes(mean, along, a, b);
}

/**
 * The ellipse's image under an affine map (working grid → original pixels). Mapping the four axis
 * ends alone is not enough where the map scales x and y differently (non-square pixels): the
 * mapped half-axes are then conjugate diameters, not perpendicular axes. The true axes are the
 * eigenvectors of p pᵀ + q qᵀ, with p and q the mapped half-axes.
 */
export function mapEllipse(ellipse: Ellipse, map: (p: Point) => Point): Ellipse {
  const [m0, m1] = ellipse.majorAxis;
  const c = { x: (m0.x + m1.x) / 2, y: (m0.y + m1.y) / 2 };
  const centre = map(c);
  const mapped = (end: Point) => {
    const q = map(end);
    return { x: q.x - centre.x, y: q.y - centre.y };
  };
  const p = mapped(m1);
  const q = mapped(ellipse.minorAxis[1]);
  const sxx = p.x * p.x + q.x * q.x;
  const syy = p.y * p.y + q.y * q.y;
  const sxy = p.x * p.y + q.x * q.y;
  const half = Math.sqrt(((sxx - syy) * (sxx - syy)) / 4 + sxy * sxy);
  const a = Math.sqrt((sxx + syy) / 2 + half);
  const b = Math.sqrt(Math.max(0, (sxx + syy) / 2 - half));
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  return ellipseFromAxes(centre, { x: Math.cos(angle), y: Math.sin(angle) }, a, b);
}

/** The SR ELLIPSE end points of an ellipse: centre, unit major direction, half-axes a ≥ b. */
function ellipseFromAxes(centre: Point, along: Point, a: number, b: number): Ellipse {
  const end = (u: Point, r: number, sign: number) => ({ x: centre.x + sign * r * u.x, y: centre.y + sign * r * u.y });
  const across = { x: -along.y, y: along.x };
  return { majorAxis: [end(along, a, -1), end(along, a, 1)], minorAxis: [end(across, b, -1), end(across, b, 1)] };
}
