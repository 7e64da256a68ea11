/**
 * Trains the cluster malignancy classifier and writes models/mammocad-calc-classifier.json.
 *
 *   npm run train:classifier -- --detected CACHE[,CACHE] [--detected-val CACHE[,CACHE]]
 *     --out FILE [--setting 0.8@4] [--rounds 100] [--learning-rate 0.05] [--min-leaf 10]
 *     [--region models/mammocad-calc-cluster-cnn.onnx --region-weight W]
 *
 * Training rows: the clusters the detector really found in labelled training studies (the
 * candidate caches that train:cluster-filter writes, true candidates only, each with the worst
 * pathology of the true clusters it hits), with features as production computes them. Since 0.3.7
 * there are no simulated clusters: clusters drawn with simulated detection noise, even as a tenth of
 * the weight, lowered the AUC on the clusters found in both validation sets (model card).
 *
 * Model: boosted stumps (boostedStumps.ts) on the FEATURE_NAMES measures. Calibration: Platt scaling
 * of out-of-fold log-odds (five folds by study, so no study scores itself). --detected-val reports
 * the AUC on the true candidates of the validation caches (the stumps alone).
 *
 * --region names the cluster-region CNN (train:cluster-cnn) that the node blends into the log-odds at
 * weight W; its patch size and its mean training logit (the explanation's zero point) come from the
 * .training.json beside it. The file must sit in the model folder the node reads.
 *
 * --out has no default: a default of models/mammocad-calc-classifier.json silently replaced the
 * committed model whenever a reproduction forgot it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FEATURE_NAMES } from '../../src/classify/clusterFeatures';
import type { ClassifierModelFile, ClusterRegionModel } from '../../src/classify/classifyCluster';
import { additiveLogit } from '../../src/classify/boostedStumps';
import { sigmoid } from '../../src/classify/logisticModel';
import { fitBoostedStumps, type BoostingOptions } from '../../src/classify/trainBoostedStumps';
import { fitPlatt } from '../../src/classify/trainLogistic';
import { ALGORITHM_IDENTITY, CLASSIFIER_MODEL_FILE } from '../../src/detect/algorithmIdentity';
import { rocAuc } from '../eval/rocAuc';
import { studyOfId } from '../eval/evaluationCases';
import { parseSetting, settingKey, type CandidateSet } from './clusterCandidates';
import { option } from '../commandLine';

/** Mistakes in the arguments or data end the run with one line, not a stack trace. */
function fail(message: string): never {
  console.error(`train:classifier: ${message}`);
  process.exit(1);
}

const FOLDS = 5;

interface Rows {
  files: string[];
  /** Study folder of each row (first path segment of its image id): the unit of the folds. A
   * film-tissue image's folder is its mini-MIAS background, so the clusters that different seeds
   * insert into one background fall in the same fold. */
  groups: string[];
  x: number[][];
  y: number[];
}

/** True candidates of the candidate caches at one setting: features as production computes them. */
function detectedRows(flag: string, files: string, setting: string): Rows {
  const list = files.split(',').filter(Boolean);
  for (const f of list) if (!fs.existsSync(f)) fail(`${flag} ${f}: no such file (train:cluster-filter writes the candidate caches)`);
  const found = list.flatMap((f) =>
    (JSON.parse(fs.readFileSync(f, 'utf8')) as CandidateSet).rows
      .filter((r) => r.setting === setting && r.pathology !== null)
      .map((r) => ({ ...r, group: studyOfId(r.image) })),
  );
  const rows = {
    files: list,
    groups: found.map((r) => r.group),
    x: found.map((r) => r.malignancyX),
    y: found.map((r) => (r.pathology === 'malignant' ? 1 : 0)),
  };
  // The stumps, the folds and the AUC need both classes (an empty set failed deep inside the fit).
  const malignant = rows.y.filter((v) => v === 1).length;
  if (malignant === 0 || malignant === rows.y.length)
    fail(`${flag} ${files} holds ${malignant} malignant and ${rows.y.length - malignant} benign true candidates at setting ${setting}; training needs both`);
  return rows;
}

/** Log-odds of every row from a model fitted without its fold (folds by study, in sorted order). */
function outOfFoldLogits(rows: Rows, options: BoostingOptions): number[] {
  const studies = [...new Set(rows.groups)].sort();
  const fold = new Map(studies.map((s, i) => [s, i % FOLDS]));
  const logits = new Array<number>(rows.y.length);
  for (let k = 0; k < FOLDS; k++) {
    const train = rows.y.map((_, i) => i).filter((i) => fold.get(rows.groups[i]) !== k);
    const model = fitBoostedStumps(
      train.map((i) => rows.x[i]),
      train.map((i) => rows.y[i]),
      options,
    );
    rows.y.forEach((_, i) => {
      if (fold.get(rows.groups[i]) === k) logits[i] = additiveLogit(model, rows.x[i]);
    });
  }
  return logits;
}

const out = option('out', '');
if (!out || out.startsWith('--'))
  fail(`--out FILE is required (e.g. DIR/${CLASSIFIER_MODEL_FILE} in a copy of models/; the committed file is replaced only by naming it)`);
const setting = settingKey(parseSetting(option('setting', '0.8@4')));
if (!option('detected', '')) fail('usage: npm run train:classifier -- --detected CACHE[,CACHE] [--detected-val CACHE[,CACHE]] --out FILE');
const detected = detectedRows('--detected', option('detected', ''), setting);
const detectedVal = option('detected-val', '') ? detectedRows('--detected-val', option('detected-val', ''), setting) : null;
const boosting: Required<BoostingOptions> = {
  rounds: Number(option('rounds', '100')),
  learningRate: Number(option('learning-rate', '0.05')),
  minLeaf: Number(option('min-leaf', '10')),
  lambda: 1,
};

/** The region CNN entry, from the CNN's training record. */
function regionModel(onnx: string, weight: number): ClusterRegionModel {
  const record = JSON.parse(fs.readFileSync(onnx.replace(/\.onnx$/, '.training.json'), 'utf8')) as { patchSize: number; meanTrainingLogit: number };
  if (!(weight >= 0 && weight <= 1)) throw new Error('--region-weight must be in [0, 1]');
  return { file: path.basename(onnx), patchSize: record.patchSize, weight, reference: record.meanTrainingLogit };
}

const fitted = fitBoostedStumps(detected.x, detected.y, boosting);
const oof = outOfFoldLogits(detected, boosting);
const platt = fitPlatt(oof, detected.y);
const model: ClassifierModelFile = {
  kind: 'boosted-stumps',
  version: ALGORITHM_IDENTITY.version,
  features: [...FEATURE_NAMES],
  ...fitted,
  platt,
  training: {},
  ...(option('region', '') && { region: regionModel(option('region', ''), Number(option('region-weight', '0.5'))) }),
};
const auc = (rows: Rows, scores: number[]) => rocAuc(scores, rows.y.map((v) => v === 1));
const summary = (rows: Rows) => ({ files: rows.files, setting, clusters: rows.y.length, malignant: rows.y.filter((v) => v === 1).length });
model.training = {
  detected: { ...summary(detected), studies: new Set(detected.groups).size },
  boosting,
  outOfFoldAuc: auc(detected, oof),
  ...(detectedVal && {
    foundValidation: { ...summary(detectedVal), auc: auc(detectedVal, detectedVal.x.map((x) => sigmoid(additiveLogit(model, x)))) },
  }),
};
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(model, null, 2) + '\n');
console.log(JSON.stringify({ out, stumps: model.stumps.length, ...model.training }, null, 2));
