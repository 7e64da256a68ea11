import { CandidateCeiling } from '../../../scripts/eval/candidateCeiling';
import type { TruthCluster } from '../../../scripts/eval/evaluationCases';

const circle = (id: string, x: number, y: number, radius: number): TruthCluster => ({
  id,
  region: { center: { x, y }, radius },
  pathology: 'benign',
});

describe('CandidateCeiling', () => {
  it('counts the true clusters some candidate hits, and the false candidates per image, as the cluster FROC counts marks', () => {
    const ceiling = new CandidateCeiling();
    const square = { id: 'b', region: { polygon: [{ x: 200, y: 200 }, { x: 240, y: 200 }, { x: 240, y: 240 }, { x: 200, y: 240 }] }, pathology: 'malignant' as const };
    ceiling.addImage(
      { id: 'img1', clusters: [circle('a', 100, 100, 20), square, circle('c', 400, 400, 10)], unscored: [{ center: { x: 600, y: 600 }, radius: 15 }] },
      [
        { x: 105, y: 95 }, // in a
        { x: 110, y: 110 }, // in a again: one cluster
        { x: 220, y: 230 }, // in b's polygon
        { x: 600, y: 610 }, // at an unlisted real finding: neither
        { x: 800, y: 50 }, // false
      ],
    );
    // Cluster ids are per image: a second image's "a" is another cluster.
    ceiling.addImage({ id: 'img2', clusters: [circle('a', 100, 100, 20)] }, [{ x: 300, y: 300 }, { x: 301, y: 300 }]);
    expect(ceiling.summary()).toEqual({ sensitivity: 2 / 4, falseCandidatesPerImage: 3 / 2 });
    // A subset's share: the clusters named a hit (a, b of img1) and missed (c, img2's a).
    expect(ceiling.sensitivity((t) => t.id === 'a')).toBe(1 / 2);
    expect(ceiling.sensitivity((t) => t.id === 'b')).toBe(1);
    expect(ceiling.sensitivity((t) => t.id === 'z')).toBeNull();
  });

  it('gives no sensitivity without true clusters, and no false candidates without images', () => {
    expect(new CandidateCeiling().summary()).toEqual({ sensitivity: null, falseCandidatesPerImage: 0 });
    const normal = new CandidateCeiling();
    normal.addImage({ id: 'n', clusters: [] }, [{ x: 1, y: 1 }]);
    expect(normal.summary()).toEqual({ sensitivity: null, falseCandidatesPerImage: 1 });
  });
});
