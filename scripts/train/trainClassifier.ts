/**
 * Trains the cluster malignancy classifier and writes models/mammocad-calc-classifier.json.
 *
 *   npm run train:classifier -- [--out FILE] [--count N] [--seed S] [--holdout-seed S2]
 *
 * Clusters: scripts/train/syntheticClusters.ts (LESIONS.md lesion model, with detection noise).
 * Logistic regression on the FEATURE_NAMES measures, Platt-calibrated on a separate calibration
 * set, then measured on a hold-out set drawn with another seed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { clusterFeatures } from '../../src/classify/clusterFeatures';
import { FEATURE_NAMES } from '../../src/classify/clusterFeatures';
import { featureVector, predictMalignancy, type LogisticModelFile } from '../../src/classify/logisticModel';
import { fitLogistic, fitPlatt } from '../../src/classify/trainLogistic';
import { ALGORITHM_IDENTITY, CLASSIFIER_MODEL_FILE } from '../../src/detect/algorithmIdentity';
import { rocAuc, sensitivitySpecificity } from '../eval/rocAuc';
import { sampleClusters, type SyntheticCluster } from './syntheticClusters';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const out = option('out', path.join('models', CLASSIFIER_MODEL_FILE));
const count = Number(option('count', '4000'));
const seed = Number(option('seed', '101'));
const holdoutSeed = Number(option('holdout-seed', '202'));
const operatingPoint = Number(option('operating-point', '0.3'));

const rows = (clusters: SyntheticCluster[]) => ({
  x: clusters.map((c) => featureVector(clusterFeatures(c.specks, c.nippleMm))),
  y: clusters.map((c) => (c.pathology === 'malignant' ? 1 : 0)),
});

const train = rows(sampleClusters(count, seed, true));
const calibration = rows(sampleClusters(Math.round(count / 4), seed + 1, true));
const holdoutClusters = sampleClusters(Math.round(count / 2), holdoutSeed, true);

const fit = fitLogistic(train.x, train.y);
const rawLogit = (v: number[]) => fit.bias + v.reduce((s, x, j) => s + fit.weights[j] * ((x - fit.means[j]) / fit.scales[j]), 0);
const platt = fitPlatt(calibration.x.map(rawLogit), calibration.y);

const model: LogisticModelFile = {
  kind: 'logistic-regression',
  version: ALGORITHM_IDENTITY.version,
  features: [...FEATURE_NAMES],
  means: fit.means,
  scales: fit.scales,
  weights: fit.weights,
  bias: fit.bias,
  platt,
  training: {},
};
const scores = holdoutClusters.map((c) => predictMalignancy(model, clusterFeatures(c.specks, c.nippleMm)).probability);
const positive = holdoutClusters.map((c) => c.pathology === 'malignant');
const holdout = {
  clusters: holdoutClusters.length,
  malignant: positive.filter(Boolean).length,
  auc: rocAuc(scores, positive),
  operatingPoint,
  ...sensitivitySpecificity(scores, positive, operatingPoint),
};
model.training = {
  generator: 'scripts/train/syntheticClusters.ts (detection noise on)',
  trainClusters: count,
  trainSeed: seed,
  calibrationClusters: calibration.y.length,
  calibrationSeed: seed + 1,
  holdoutSeed,
  holdout,
};
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(model, null, 2) + '\n');
console.log(JSON.stringify({ out, holdout, weights: Object.fromEntries(FEATURE_NAMES.map((f, i) => [f, Number(fit.weights[i].toFixed(3))])) }, null, 2));
