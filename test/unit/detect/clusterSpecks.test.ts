import { clusterSpecks } from '../../../src/detect/clusterSpecks';

describe('clusterSpecks (single linkage)', () => {
  it('chains specks closer than the link distance and drops groups below the minimum count', () => {
    const points = [
      { x: 0, y: 0 },
      { x: 4, y: 0 },
      { x: 8, y: 0 }, // chained to the first through the second
      { x: 100, y: 100 },
      { x: 103, y: 100 }, // only two: not a cluster
      { x: 50, y: 0 },
    ];
    expect(clusterSpecks(points, 5, 3)).toEqual([[0, 1, 2]]);
    expect(clusterSpecks(points, 5, 2)).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });

  it('does not link points just beyond the distance, also across grid cells', () => {
    const points = [
      { x: 4.9, y: 4.9 },
      { x: 10.0, y: 4.9 },
      { x: 15.1, y: 4.9 },
    ];
    expect(clusterSpecks(points, 5, 2)).toEqual([]);
    expect(clusterSpecks(points, 5.2, 3)).toEqual([[0, 1, 2]]);
  });
});
