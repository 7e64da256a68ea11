import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterFeatures } from '../../../src/classify/clusterFeatures';
import type { ClusterSpeck } from '../../../src/classify/clusterSpeck';
import { calibratedBias, classifyCluster, loadClassifierModel, REGION_FEATURE, type ClassifierModelFile } from '../../../src/classify/classifyCluster';
import { likelyDistribution, likelyMorphologies } from '../../../src/classify/morphologyDescriptors';
import { CLASSIFIER_MODEL_FILE } from '../../../src/detect/algorithmIdentity';

const model = loadClassifierModel(path.join(__dirname, '../../../models', CLASSIFIER_MODEL_FILE));
/** The committed classifier's measures alone, without its cluster-region CNN (0.3.7's classifier). */
const measures: ClassifierModelFile = { ...model, region: undefined };

/**
 * Five uniform round 0.6 mm specks within 3 mm (BI-RADS "round": 0.5-1 mm). Since 0.3.1 the
 * classifier is fitted mostly on clusters as the detector measures them, whose heatmap components
 * make every speck look larger than it is, so a group of 0.3 mm specks is no longer clearly benign.
 */
const benign: ClusterSpeck[] = [
  [0, 0],
  [2, 0.5],
  [1, 2],
  [-1, 1.5],
  [0.5, -1.5],
].map(([x, y]) => ({ xMm: x, yMm: y, diameterMm: 0.6, contrast: 5, elongation: 1.05 }));

/** Twenty mixed specks, half fine linear, laid along a 16 mm line that points at the nipple. */
const malignant: ClusterSpeck[] = Array.from({ length: 20 }, (_, i) => ({
  xMm: i * 0.8,
  yMm: (i % 3) * 0.3,
  diameterMm: [0.1, 0.25, 0.45, 0.15][i % 4],
  contrast: [2, 6, 3.5, 9][i % 4],
  elongation: i % 2 === 0 ? 5 : 1.2,
}));
const nipple = { x: 60, y: 0 };

describe('cluster classifier', () => {
  it('ranks a clearly malignant cluster far above a clearly benign one by its measures', () => {
    const b = classifyCluster(measures, benign, nipple);
    const m = classifyCluster(measures, malignant, nipple);
    // 0.3.7's boosted stumps give 0.73 and 0.06 (0.3.3-0.3.6's logistic regression 0.62 and 0.28).
    expect(m.malignancy).toBeGreaterThan(0.7);
    expect(b.malignancy).toBeLessThan(0.25);
    expect(m.malignancy - b.malignancy).toBeGreaterThan(0.5);
  });

  it('explains the score: contributions sum (with the calibrated bias) to the log-odds, largest first', () => {
    expect(model.region?.file).toBe('mammocad-calc-cluster-cnn.onnx');
    const m = classifyCluster(model, malignant, nipple, 1.5);
    const magnitudes = m.explanation.map((e) => Math.abs(e.contribution));
    expect(magnitudes).toEqual([...magnitudes].sort((a, b) => b - a));
    expect(m.explanation.map((e) => e.feature)).toContain(REGION_FEATURE);
    const logit = Math.log(m.malignancy / (1 - m.malignancy));
    const fromParts = calibratedBias(model) + m.explanation.reduce((s, e) => s + e.contribution, 0);
    expect(fromParts).toBeCloseTo(logit, 6);
    expect(m.explanation.find((e) => e.feature === 'logCount')?.value).toBeCloseTo(Math.log(20), 10);
  });

  it('names morphology and distribution from the measures', () => {
    const fb = clusterFeatures(benign, nipple);
    expect(likelyMorphologies(fb)[0]).toBe('round');
    expect(likelyDistribution(fb)).toBe('grouped');
    const fm = clusterFeatures(malignant, nipple);
    expect(['fineLinear', 'fineLinearBranching']).toContain(likelyMorphologies(fm)[0]);
    expect(likelyDistribution(fm)).toBe('linear');
    expect(fm.nippleAlignment).toBeGreaterThan(0.8);
    expect(fm.linearFraction).toBeCloseTo(0.5, 10);
  });

  it('names amorphous for the tiniest uniform specks, and only the morphologies near the best', () => {
    const uniform = (diameterMm: number) => likelyMorphologies(clusterFeatures(benign.map((s) => ({ ...s, diameterMm })), nipple));
    expect(uniform(0.15)[0]).toBe('amorphous');
    expect(uniform(0.34)).toEqual(['punctate']); // not also round, nor heterogeneous
    expect(uniform(0.7)).toEqual(['round']);
    const fm = likelyMorphologies(clusterFeatures(malignant, nipple));
    expect(fm.length).toBeGreaterThanOrEqual(1);
    expect(fm).not.toContain('coarseHeterogeneous');
  });

  it('calls a pair of specks grouped, however far apart, and three in a row linear', () => {
    const along = (n: number) => malignant.slice(0, n).map((s, i) => ({ ...s, xMm: 4 * i, yMm: 0 }));
    expect(likelyDistribution(clusterFeatures(along(2), nipple))).toBe('grouped');
    expect(likelyDistribution(clusterFeatures(along(3), nipple))).toBe('linear');
  });

  it('refuses a classifier file of another kind (a 0.3.6 logistic regression) with a clear error', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-classifier-')), CLASSIFIER_MODEL_FILE);
    const features = model.features;
    fs.writeFileSync(file, JSON.stringify({ kind: 'logistic-regression', version: '0.3.6', features, means: [], scales: [], weights: [], bias: 0, platt: { a: 1, b: 0 } }));
    expect(() => loadClassifierModel(file)).toThrow(/classifier model is not a boosted-stumps model over this code's features \(logCount, /);
  });

  describe('with a cluster-region CNN blended in', () => {
    const region = { file: 'region.onnx', patchSize: 128, weight: 0.5, reference: -0.2 };
    const blended: ClassifierModelFile = { ...model, region };

    it('carries the CNN logit at its weight, and the shares still sum to the log-odds', () => {
      const alone = classifyCluster(measures, malignant, nipple).malignancy;
      const m = classifyCluster(blended, malignant, nipple, 3);
      const logit = (p: number) => Math.log(p / (1 - p));
      expect(logit(m.malignancy)).toBeCloseTo(0.5 * logit(alone) + 0.5 * 3, 6);
      const share = m.explanation.find((e) => e.feature === REGION_FEATURE);
      expect(share).toEqual({ feature: REGION_FEATURE, value: 3, contribution: 0.5 * (3 + 0.2) });
      expect(calibratedBias(blended) + m.explanation.reduce((s, e) => s + e.contribution, 0)).toBeCloseTo(logit(m.malignancy), 6);
      // A benign-looking region pulls the same cluster down.
      expect(classifyCluster(blended, malignant, nipple, -3).malignancy).toBeLessThan(m.malignancy - 0.5);
    });

    it('refuses to score without the CNN logit, and refuses a malformed region entry at load', () => {
      expect(() => classifyCluster(blended, malignant, nipple)).toThrow(/needs the cluster-region CNN's logit \(region\.onnx\)/);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-classifier-')), CLASSIFIER_MODEL_FILE);
      fs.writeFileSync(file, JSON.stringify({ ...model, region: { ...region, patchSize: 100 } }));
      expect(() => loadClassifierModel(file)).toThrow(/"region" entry needs .* patchSize \(multiple of 16\)/);
    });
  });
});
