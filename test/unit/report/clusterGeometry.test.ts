import { closedOutline, insideImage } from '../../../src/report/clusterGeometry';
import { makeCluster } from '../../helpers/reportScenarios';

describe('cluster geometry', () => {
  const image = { rows: 100, columns: 80 };

  test('an open outline is closed; a closed one is kept as is', () => {
    const cluster = makeCluster(1, 40, 50, 0.5);
    expect(closedOutline(cluster, image)).toEqual(cluster.outline);
    const open = { ...cluster, outline: cluster.outline.slice(0, -1) };
    expect(closedOutline(open, image)).toEqual(cluster.outline);
  });

  test('points outside the image are moved onto its edge', () => {
    expect(insideImage({ x: -0.4, y: 100.2 }, image)).toEqual({ x: 0, y: 100 });
    expect(insideImage({ x: 12.5, y: 7.25 }, image)).toEqual({ x: 12.5, y: 7.25 });
    const atEdge = makeCluster(1, 2, 98, 0.5);
    for (const p of closedOutline(atEdge, image)) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(100);
    }
  });

  test('a cluster without an outline gets a small closed square around its centre', () => {
    const bare = { ...makeCluster(1, 40, 50, 0.5), outline: [] };
    const square = closedOutline(bare, image);
    expect(square).toHaveLength(5);
    expect(square[0]).toEqual(square[4]);
    expect(square[0]).toEqual({ x: 39, y: 49 });
  });
});
