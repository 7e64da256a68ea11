import { clusterEllipse, clusterOutline, convexHull, polygonArea, principalAxes } from '../../../src/detect/clusterGeometry';
import type { Point } from '../../../src/findings/types';

function insidePolygon(p: Point, poly: Point[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i];
    const b = poly[j];
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

describe('cluster geometry', () => {
  it('convex hull of a square with an inner point is the four corners', () => {
    const hull = convexHull([
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 1, y: 1 },
      { x: 0, y: 1 },
      { x: 0.5, y: 0.5 },
    ]);
    expect(hull).toHaveLength(4);
    expect(polygonArea(hull)).toBeCloseTo(1, 10);
  });

  it('outline is closed and keeps every speck disc inside with the margin', () => {
    const discs = [
      { x: 10, y: 10, radius: 1 },
      { x: 30, y: 12, radius: 2 },
      { x: 20, y: 25, radius: 1 },
    ];
    const outline = clusterOutline(discs, 5);
    expect(outline[0]).toEqual(outline[outline.length - 1]);
    for (const d of discs) {
      for (let k = 0; k < 16; k++) {
        const a = (2 * Math.PI * k) / 16;
        const r = d.radius + 4.99;
        expect(insidePolygon({ x: d.x + r * Math.cos(a), y: d.y + r * Math.sin(a) }, outline)).toBe(true);
      }
    }
  });

  it('ellipse follows the principal axis of a line of specks and encloses them', () => {
    const discs = [0, 1, 2, 3, 4].map((i) => ({ x: 10 + 10 * i, y: 10 + 10 * i, radius: 0 }));
    const axes = principalAxes(discs);
    expect(Math.abs(axes.major.x)).toBeCloseTo(Math.SQRT1_2, 6);
    expect(axes.lambda2).toBeCloseTo(0, 6);
    const e = clusterEllipse(discs, 2);
    const [m0, m1] = e.majorAxis;
    const [n0, n1] = e.minorAxis;
    const majorLength = Math.hypot(m1.x - m0.x, m1.y - m0.y);
    const minorLength = Math.hypot(n1.x - n0.x, n1.y - n0.y);
    expect(majorLength).toBeGreaterThan(Math.hypot(40, 40));
    expect(minorLength).toBeLessThan(majorLength);
    // Centre at the mean of the specks, axes perpendicular.
    expect((m0.x + m1.x) / 2).toBeCloseTo(30, 6);
    expect((m1.x - m0.x) * (n1.x - n0.x) + (m1.y - m0.y) * (n1.y - n0.y)).toBeCloseTo(0, 6);
  });
});
