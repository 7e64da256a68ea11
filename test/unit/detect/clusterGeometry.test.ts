import { clusterEllipse, clusterOutline, mapEllipse, principalAxes } from '../../../src/detect/clusterGeometry';
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

  it('maps the ellipse to non-square original pixels with perpendicular axes through the mapped curve', () => {
    const e = clusterEllipse(
      [0, 1, 2, 3].map((i) => ({ x: 100 + 12 * i, y: 50 + 7 * i, radius: 1 })),
      2,
    );
    // A mirrored grid with pixels twice as wide as tall (0.05 × 0.1 mm on a 0.07 mm grid, say).
    const toOriginal = (p: { x: number; y: number }) => ({ x: 900 - p.x * 0.7, y: 3 + p.y * 1.4 });
    const m = mapEllipse(e, toOriginal);
    const [m0, m1] = m.majorAxis;
    const [n0, n1] = m.minorAxis;
    expect((m1.x - m0.x) * (n1.x - n0.x) + (m1.y - m0.y) * (n1.y - n0.y)).toBeCloseTo(0, 6);
    // Every point of the working ellipse, mapped, lies on the mapped ellipse: (u/a)² + (v/b)² = 1.
    const centre = { x: (m0.x + m1.x) / 2, y: (m0.y + m1.y) / 2 };
    const a = Math.hypot(m1.x - m0.x, m1.y - m0.y) / 2;
    const b = Math.hypot(n1.x - n0.x, n1.y - n0.y) / 2;
    const along = { x: (m1.x - centre.x) / a, y: (m1.y - centre.y) / a };
    const [w0, w1] = e.majorAxis;
    const wc = { x: (w0.x + w1.x) / 2, y: (w0.y + w1.y) / 2 };
    const half = (p: { x: number; y: number }) => ({ x: p.x - wc.x, y: p.y - wc.y });
    const [p, q] = [half(w1), half(e.minorAxis[1])];
    for (let k = 0; k < 16; k++) {
      const t = (2 * Math.PI * k) / 16;
      const o = toOriginal({ x: wc.x + p.x * Math.cos(t) + q.x * Math.sin(t), y: wc.y + p.y * Math.cos(t) + q.y * Math.sin(t) });
      const u = (o.x - centre.x) * along.x + (o.y - centre.y) * along.y;
      const v = -(o.x - centre.x) * along.y + (o.y - centre.y) * along.x;
      expect((u / a) ** 2 + (v / b) ** 2).toBeCloseTo(1, 6);
    }
  });
});
