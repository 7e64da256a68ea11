import { clusterEllipse, clusterOutline, principalAxes } from '../../../src/detect/clusterGeometry';
import { insidePolygon } from '../../../src/geometry/polygon';

describe('cluster geometry', () => {
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
