import { distanceToPolyline, distanceToSegment } from '../../../src/geometry/polyline';

describe('polyline distance', () => {
  it('measures to the segment interior, its ends, and a one-point line', () => {
    const a = { x: 0, y: 0 };
    const b = { x: 10, y: 0 };
    expect(distanceToSegment({ x: 4, y: 3 }, a, b)).toBeCloseTo(3, 12);
    expect(distanceToSegment({ x: 13, y: 4 }, a, b)).toBeCloseTo(5, 12);
    expect(distanceToSegment({ x: 3, y: 4 }, a, a)).toBeCloseTo(5, 12);
    expect(distanceToPolyline({ x: 3, y: 4 }, [a])).toBeCloseTo(5, 12);
  });

  it('takes the nearest segment of a bent line', () => {
    const line = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
    ];
    expect(distanceToPolyline({ x: 12, y: 7 }, line)).toBeCloseTo(2, 12);
    expect(distanceToPolyline({ x: 5, y: -1 }, line)).toBeCloseTo(1, 12);
  });
});
