import path from 'node:path';
import { loadClassifierModel } from '../../../src/classify/classifyCluster';
import {
  CLASSIFIER_MODEL_FILE,
  CLUSTER_FILTER_MODEL_FILE,
  SPECK_CERTAINTY_MODEL_FILE,
} from '../../../src/detect/algorithmIdentity';
import { buildClusterFindings } from '../../../src/detect/buildClusterFindings';
import { loadClusterFilterModel } from '../../../src/detect/clusterFilter';
import type { DetectedSpeck } from '../../../src/detect/detectedSpeck';
import {
  DEFAULT_DETECTION_PARAMETERS,
  type DetectionParameters,
} from '../../../src/detect/detectionParameters';
import type { ClusterReducer } from '../../../src/detect/clusterFilter';
import { loadSpeckCertaintyModel, speckCertainty } from '../../../src/detect/speckCertainty';

const MODELS = path.join(__dirname, '../../../models');
const SIZE = 300;
const SPACING = 0.07;

// Flat breast tissue, the chest wall at x = 0, mapped to an original grid of twice the spacing.
const image = {
  pixels: new Float32Array(SIZE * SIZE),
  mask: new Uint8Array(SIZE * SIZE).fill(1),
  width: SIZE,
  height: SIZE,
  transform: { toOriginal: (p: { x: number; y: number }) => ({ x: p.x / 2, y: p.y / 2 }) },
};

const speck = (x: number, y: number, component: number): DetectedSpeck => ({
  x,
  y,
  areaPx: 9,
  diameterMm: 0.25,
  score: 0.99,
  contrast: 1,
  elongation: 1,
  orientation: 0,
  component,
  // As the speck stage scores them where the certainty reads it (the committed digital one does).
  stageLogits: [0.5, 1.5],
});

// The region CNN's logit is a stand-in (0): what is tested is which candidates exist.
const noRegionEvidence = async (_model: string, _patches: Float32Array, _size: number) =>
  new Float32Array(1024);

describe('buildClusterFindings', () => {
  const classifier = loadClassifierModel(path.join(MODELS, CLASSIFIER_MODEL_FILE));
  const model = loadClusterFilterModel(path.join(MODELS, CLUSTER_FILTER_MODEL_FILE));
  const certainty = loadSpeckCertaintyModel(path.join(MODELS, SPECK_CERTAINTY_MODEL_FILE));
  const pair = [speck(150, 150, 1), speck(160, 150, 2)];
  const clustersOf = async (specks: DetectedSpeck[], reducer: ClusterReducer, params: DetectionParameters) =>
    (
      await buildClusterFindings(
        specks,
        image,
        SPACING,
        null,
        classifier,
        reducer,
        certainty,
        params,
        noRegionEvidence,
      )
    ).clusters;

  it("groups as few specks as the image's reducer was fitted on (reducer.minSpecks), not params.minSpecks", async () => {
    const params = { ...DEFAULT_DETECTION_PARAMETERS, minSpecks: 3 };
    const build = (minSpecks: number) =>
      clustersOf(pair, { model, floor: 0, minSpecks, minComponents: 2 }, params);
    const asPair = await build(2);
    expect(asPair).toHaveLength(1);
    expect(asPair[0].calcifications.map((c) => c.center)).toEqual([
      { x: 75, y: 75 },
      { x: 80, y: 75 },
    ]);
    expect(asPair[0].distribution).toBe('grouped');
    expect(await build(3)).toHaveLength(0);
  });

  it("keeps specks split from one heatmap component as a cluster only where the image's reducer asks for one component (reducer.minComponents)", async () => {
    const params = { ...DEFAULT_DETECTION_PARAMETERS, minComponents: 2 };
    const oneBlob = [speck(150, 150, 7), speck(153, 150, 7), speck(150, 153, 7)];
    const build = (minComponents: number) =>
      clustersOf(oneBlob, { model, floor: 0, minSpecks: 2, minComponents }, params);
    const found = await build(1);
    expect(found).toHaveLength(1);
    expect(found[0].calcifications).toHaveLength(3);
    expect(await build(2)).toHaveLength(0);
  });

  it('drops candidates below the floor', async () => {
    const params = DEFAULT_DETECTION_PARAMETERS;
    const [found] = await clustersOf(pair, { model, floor: 0, minSpecks: 2, minComponents: 2 }, params);
    const above = { model, floor: found.detectionScore, minSpecks: 2, minComponents: 2 };
    expect(await clustersOf(pair, above, params)).toHaveLength(1);
    const below = { model, floor: Math.min(1, found.detectionScore + 1e-6), minSpecks: 2, minComponents: 2 };
    expect(await clustersOf(pair, below, params)).toHaveLength(0);
    // The dropped candidate's centre is still given (evaluation's candidate ceiling), on the original grid.
    const all = await buildClusterFindings(pair, image, SPACING, null, classifier, below, certainty, params, noRegionEvidence);
    expect(all.candidateCentres).toHaveLength(1);
    expect(all.candidateCentres[0].x).toBeCloseTo(found.center.x, 6);
    expect(all.candidateCentres[0].y).toBeCloseTo(found.center.y, 6);
    expect(found.center.x).toBeGreaterThan(70);
    expect(found.center.x).toBeLessThan(85);
  });

  it("scores each calcification with its speck certainty as a member of its cluster, and names every member's cluster", async () => {
    const lone = speck(40, 250, 3);
    const reducer = { model, floor: 0, minSpecks: 2, minComponents: 2 };
    const { clusters, clusterOf } = await buildClusterFindings(
      [...pair, lone],
      image,
      SPACING,
      null,
      classifier,
      reducer,
      certainty,
      DEFAULT_DETECTION_PARAMETERS,
      noRegionEvidence,
    );
    expect(clusters).toHaveLength(1);
    const cluster = { probability: clusters[0].detectionScore, floor: 0 };
    const member = speckCertainty(certainty, { score: 0.99, stageLogits: [0.5, 1.5] }, cluster);
    expect(clusters[0].calcifications.map((c) => c.score)).toEqual([member, member]);
    expect(pair.map((s) => clusterOf.get(s))).toEqual([cluster, cluster]);
    expect(clusterOf.has(lone)).toBe(false);
    // The same peak counts for less outside a reported cluster.
    expect(speckCertainty(certainty, { score: 0.99, stageLogits: [0.5, 1.5] }, undefined)).toBeLessThan(
      member,
    );
  });
});
