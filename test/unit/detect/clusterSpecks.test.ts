import { clusterSpecks, clusterSpecksWithJoiners } from '../../../src/detect/clusterSpecks';

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

describe('clusterSpecksWithJoiners (hysteresis)', () => {
  const strong = (x: number, y: number) => ({ x, y });
  const joiner = (x: number, y: number) => ({ x, y, joiner: true as const });

  it('lets a joiner complete a pair of strong specks, but not a single strong speck', () => {
    const points = [
      strong(0, 0),
      strong(4, 0),
      joiner(8, 0), // third speck of the pair's group
      strong(100, 0),
      joiner(103, 0),
      joiner(97, 0), // two joiners around one strong speck: no group
    ];
    expect(clusterSpecksWithJoiners(points, 5, 2, 3)).toEqual([[0, 1, 2]]);
  });

  it('does not chain joiners to each other, and a joiner joins the nearest group only', () => {
    const points = [
      strong(0, 0),
      strong(4, 0),
      strong(12, 0), // 8 from (4, 0): a second group
      strong(16, 0),
      joiner(7, 0), // within 5 of both groups, nearer the first
      joiner(11, 0), // nearer the second
      joiner(20, 0),
      joiner(24, 0), // 4 from a joiner, 8 from the nearest strong speck: left out
    ];
    expect(clusterSpecksWithJoiners(points, 5, 2, 3)).toEqual([
      [0, 1, 4],
      [2, 3, 5, 6],
    ]);
  });

  it('without joiners gives exactly what clusterSpecks gives', () => {
    const points = Array.from({ length: 60 }, (_, i) => ({ x: (i * 37) % 50, y: (i * 53) % 45 }));
    expect(clusterSpecksWithJoiners(points, 6, 2, 3)).toEqual(clusterSpecks(points, 6, 3));
  });
});
