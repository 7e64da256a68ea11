/**
 * Trains the cluster malignancy classifier and writes models/mammocad-calc-classifier.json.
 *
 *   npm run train:classifier -- [--out FILE] [--count N] [--seed S] [--holdout-seed S2]
 *     [--detected CACHE[,CACHE] --detected-val CACHE[,CACHE] [--setting 0.8@4] [--detected-share S]]
 *
 * Clusters: scripts/train/syntheticClusters.ts (LESIONS.md lesion model, with detection noise).
 * Logistic regression on the FEATURE_NAMES measures, Platt-calibrated on a separate calibration
 * set, then measured on a hold-out set drawn with another seed.
 *
 * --detected adds the clusters the detector really found in labelled training studies (the
 * candidate caches that train:cluster-filter writes, true candidates only) to both the fit and the
 * calibration, repeated so that they carry the share S of the weight: the simulated detection noise
 * does not capture how this detector measures sizes and contrasts. --detected-val reports the AUC on
 * the clusters found in the validation studies, the measure to choose S by.
 */
import fs from 'node:fs';
import path from 'node:path';
import { clusterFeatures } from '../../src/classify/clusterFeatures';
import { FEATURE_NAMES } from '../../src/classify/clusterFeatures';
import {
  featureVector,
  logisticProbability,
  predictMalignancy,
  standardisedLogit,
  type LogisticModelFile,
} from '../../src/classify/logisticModel';
import { fitLogistic, fitPlatt } from '../../src/classify/trainLogistic';
import { ALGORITHM_IDENTITY, CLASSIFIER_MODEL_FILE } from '../../src/detect/algorithmIdentity';
import { rocAuc, sensitivitySpecificity } from '../eval/rocAuc';
import { parseSetting, settingKey, type CandidateSet } from './clusterCandidates';
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

interface Rows {
  x: number[][];
  y: number[];
}
const rows = (clusters: SyntheticCluster[]): Rows => ({
  x: clusters.map((c) => featureVector(clusterFeatures(c.specks, c.nippleMm))),
  y: clusters.map((c) => (c.pathology === 'malignant' ? 1 : 0)),
});

/** True candidates of the candidate caches at one setting: features as production computes them. */
function detectedRows(files: string, setting: string): Rows & { files: string[] } {
  const list = files.split(',').filter(Boolean);
  const found = list
    .flatMap((f) => (JSON.parse(fs.readFileSync(f, 'utf8')) as CandidateSet).rows)
    .filter((r) => r.setting === setting && r.pathology !== null);
  return {
    files: list,
    x: found.map((r) => r.malignancyX),
    y: found.map((r) => (r.pathology === 'malignant' ? 1 : 0)),
  };
}
const setting = settingKey(parseSetting(option('setting', '0.8@4')));
const detectedShare = Number(option('detected-share', '0.5'));
const detected = option('detected', '') ? detectedRows(option('detected', ''), setting) : null;
const detectedVal = option('detected-val', '') ? detectedRows(option('detected-val', ''), setting) : null;

/** The synthetic rows plus as many copies of the detected rows as give these the share S of the weight. */
function withDetected(synthetic: Rows): Rows {
  if (!detected) return synthetic;
  const ratio = detectedShare / (1 - detectedShare);
  const copies = Math.max(1, Math.round((ratio * synthetic.y.length) / detected.y.length));
  return {
    x: [...synthetic.x, ...Array.from({ length: copies }, () => detected.x).flat()],
    y: [...synthetic.y, ...Array.from({ length: copies }, () => detected.y).flat()],
  };
}

const train = withDetected(rows(sampleClusters(count, seed, true)));
const calibration = withDetected(rows(sampleClusters(Math.round(count / 4), seed + 1, true)));
const holdoutClusters = sampleClusters(Math.round(count / 2), holdoutSeed, true);

const fit = fitLogistic(train.x, train.y);
const platt = fitPlatt(
  calibration.x.map((v) => standardisedLogit(fit, v)),
  calibration.y,
);

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
const scores = holdoutClusters.map(
  (c) => predictMalignancy(model, clusterFeatures(c.specks, c.nippleMm)).probability,
);
const positive = holdoutClusters.map((c) => c.pathology === 'malignant');
const holdout = {
  clusters: holdoutClusters.length,
  malignant: positive.filter(Boolean).length,
  auc: rocAuc(scores, positive),
  operatingPoint,
  ...sensitivitySpecificity(scores, positive, operatingPoint),
};
const foundValidation = detectedVal && {
  files: detectedVal.files,
  setting,
  clusters: detectedVal.y.length,
  malignant: detectedVal.y.filter((v) => v === 1).length,
  auc: rocAuc(
    detectedVal.x.map((x) => logisticProbability(model, x)),
    detectedVal.y.map((v) => v === 1),
  ),
};
model.training = {
  generator: 'scripts/train/syntheticClusters.ts (detection noise on)',
  ...(detected && {
    detected: {
      files: detected.files,
      setting,
      clusters: detected.y.length,
      malignant: detected.y.filter((v) => v === 1).length,
      share: detectedShare,
    },
  }),
  ...(foundValidation && { foundValidation }),
  trainClusters: count,
  trainSeed: seed,
  calibrationClusters: calibration.y.length,
  calibrationSeed: seed + 1,
  holdoutSeed,
  holdout,
};
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(model, null, 2) + '\n');
console.log(
  JSON.stringify(
    {
      out,
      holdout,
      foundValidation,
      weights: Object.fromEntries(FEATURE_NAMES.map((f, i) => [f, Number(fit.weights[i].toFixed(3))])),
    },
    null,
    2,
  ),
);
