import { convexHull, insidePolygon, polygonArea } from '../../../src/geometry/polygon';

const square = [
  { x: 0, y: 0 },
  { x: 1, y: 0 },
  { x: 1, y: 1 },
  { x: 0, y: 1 },
];

describe('polygon geometry', () => {
  it('convex hull of a square with an inner point is the four corners', () => {
    const hull = convexHull([...square, { x: 0.5, y: 0.5 }]);
    expect(hull).toHaveLength(4);
    expect(hull).not.toContainEqual({ x: 0.5, y: 0.5 });
    expect(polygonArea(hull)).toBeCloseTo(1, 10);
  });

  it('area does not depend on orientation', () => {
    expect(polygonArea([...square].reverse())).toBeCloseTo(1, 10);
    expect(polygonArea([{ x: 0, y: 0 }, { x: 4, y: 0 }, { x: 0, y: 3 }])).toBeCloseTo(6, 10);
  });

  it('inside test holds for open and closed polygons and rejects points outside', () => {
    const closed = [...square, square[0]];
    for (const polygon of [square, closed]) {
      expect(insidePolygon({ x: 0.5, y: 0.5 }, polygon)).toBe(true);
      expect(insidePolygon({ x: 1.5, y: 0.5 }, polygon)).toBe(false);
      expect(insidePolygon({ x: 0.5, y: -0.1 }, polygon)).toBe(false);
    }
    // A concave L: the notch is outside.
    const l = [
      { x: 0, y: 0 },
      { x: 2, y: 0 },
      { x: 2, y: 1 },
      { x: 1, y: 1 },
      { x: 1, y: 2 },
      { x: 0, y: 2 },
    ];
    expect(insidePolygon({ x: 1.5, y: 1.5 }, l)).toBe(false);
    expect(insidePolygon({ x: 0.5, y: 1.5 }, l)).toBe(true);
  });
});
