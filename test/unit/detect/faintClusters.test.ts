import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sigmoid } from '../../../src/classify/logisticModel';
import { FAINT_CLUSTER_FILTER_MODEL_FILE } from '../../../src/detect/algorithmIdentity';
import type { DetectedSpeck } from '../../../src/detect/detectedSpeck';
import { DEFAULT_DETECTION_PARAMETERS } from '../../../src/detect/detectionParameters';
import {
  FAINT_CLUSTER_FEATURE_NAMES,
  FAINT_CLUSTER_SEPARATION_MM,
  faintCandidateClusters,
  faintClusterFeatures,
  loadFaintClusterFilterModel,
} from '../../../src/detect/faintClusters';

const SIZE = 400;
const SPACING = 0.07;
const image = {
  pixels: new Float32Array(SIZE * SIZE),
  mask: new Uint8Array(SIZE * SIZE).fill(1),
  width: SIZE,
  height: SIZE,
};
const rule = { linkDistanceMm: 4, minSpecks: 2, minComponents: 1 };

const speck = (x: number, y: number, component: number, stageLogits: number[] = [1, 1]): DetectedSpeck => ({
  x,
  y,
  areaPx: 9,
  diameterMm: 0.25,
  score: 0.6,
  contrast: 1,
  elongation: 1,
  orientation: 0,
  component,
  stageLogits,
});

describe('faintClusterFeatures', () => {
  it("summarises the specks' mean stage logits in the order of FAINT_CLUSTER_FEATURE_NAMES", () => {
    // Mean logits 2, -1 and 1.
    const group = [speck(0, 0, 1, [1, 3]), speck(5, 0, 2, [-1, -1]), speck(10, 0, 3, [0, 2])];
    const x = faintClusterFeatures(group);
    expect(x).toHaveLength(FAINT_CLUSTER_FEATURE_NAMES.length);
    expect(x[0]).toBeCloseTo(2 / 3, 12);
    expect(x[1]).toBe(2);
    expect(x[2]).toBeCloseTo(2 / 3, 12);
    expect(x[3]).toBeCloseTo(Math.log(3), 12);
    expect(x[4]).toBeCloseTo(Math.log1p(sigmoid(2) + sigmoid(-1) + sigmoid(1)), 12);
    expect(x[5]).toBeCloseTo(Math.log(3), 12);
    // Four specks: the top three's mean leaves out the lowest.
    const four = faintClusterFeatures([...group, speck(15, 0, 4, [-3, -3])]);
    expect(four[2]).toBeCloseTo(2 / 3, 12);
    expect(four[0]).toBeCloseTo(-1 / 4, 12);
  });

  it('refuses a speck the speck stage did not score', () => {
    const unscored = { ...speck(0, 0, 1), stageLogits: undefined };
    expect(() => faintClusterFeatures([speck(5, 0, 2), unscored])).toThrow(/speck stage did not score/);
  });
});

describe('faintCandidateClusters', () => {
  const mm = (v: number) => v / SPACING;

  it("groups the threshold's specks with the faint ones, and hands back the callers' own speck objects", () => {
    const strong = speck(100, 100, 1);
    // The same component label from the other extraction: relabelled, so the pair has two components.
    const faint = speck(100 + mm(2), 100, 1);
    const [k, ...rest] = faintCandidateClusters([strong], [faint], [], image, SPACING, rule);
    expect(rest).toHaveLength(0);
    expect(k.specks).toHaveLength(2);
    expect(k.specks[0]).toBe(strong);
    expect(k.specks[1]).toBe(faint);
    expect(k.centre.x).toBeCloseTo(100 + mm(1), 9);
  });

  it('leaves out groups near a reported cluster, or holding one of its members', () => {
    const faint = [speck(100, 100, 1), speck(100 + mm(2), 100, 2)];
    const centre = { x: 100 + mm(1), y: 100 };
    const near = { centre: { x: centre.x + mm(FAINT_CLUSTER_SEPARATION_MM - 0.1), y: 100 }, specks: [] };
    const far = { centre: { x: centre.x, y: 100 + mm(FAINT_CLUSTER_SEPARATION_MM + 0.1) }, specks: [] };
    expect(faintCandidateClusters([], faint, [near], image, SPACING, rule)).toHaveLength(0);
    expect(faintCandidateClusters([], faint, [far], image, SPACING, rule)).toHaveLength(1);
    // A reported cluster's member linked into a larger group far from its centre: still that cluster.
    const member = speck(100 + mm(4), 100, 9);
    const owner = { centre: { x: 390, y: 390 }, specks: [member] };
    expect(faintCandidateClusters([member], faint, [owner], image, SPACING, rule)).toHaveLength(0);
  });
});

describe('the committed faint cluster filter', () => {
  it('loads, with the features this code computes', () => {
    const model = loadFaintClusterFilterModel(
      path.join(__dirname, '../../../models', FAINT_CLUSTER_FILTER_MODEL_FILE),
    );
    expect(model.features).toEqual([...FAINT_CLUSTER_FEATURE_NAMES]);
    // The default floor is the one the trainer chose for this file, to its third decimal.
    expect(DEFAULT_DETECTION_PARAMETERS.faintClusterFloor).toBeCloseTo(model.training.floor as number, 3);
  });

  it('refuses a file with other features, naming what this code reads', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-faint-'));
    const file = path.join(dir, 'f.json');
    const n = FAINT_CLUSTER_FEATURE_NAMES.length - 1;
    fs.writeFileSync(
      file,
      JSON.stringify({
        kind: 'logistic-regression',
        version: '1',
        features: FAINT_CLUSTER_FEATURE_NAMES.slice(0, n),
        means: new Array(n).fill(0),
        scales: new Array(n).fill(1),
        weights: new Array(n).fill(0),
        bias: 0,
        platt: { a: 1, b: 0 },
        training: {},
      }),
    );
    try {
      expect(() => loadFaintClusterFilterModel(file)).toThrow(
        /faint cluster filter model does not match.*meanStageLogit/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
