/**
 * npm run train:speck-certainty -- --train DIR[,DIR...] --val DIR[,DIR...] [--l2 L] [--config FILE]
 *   [--cache DIR] --out FILE | --dry-run
 *
 * Fits the speck certainty (src/detect/speckCertainty.ts). Every speck mark of the TRAINING studies
 * (synthetic ground-truth format) comes from the production path (analysePreparedImageInDetail with
 * the node's configuration, --config merged on top: the committed detector, reducers and floors),
 * labelled 1 where it lies on a true speck of any size or contrast (within eval's 0.35 mm): the
 * certainty says whether a mark is a calcification. A logistic regression on speckCertaintyFeatures
 * (the peak and the reported cluster's score) is fitted to them. The certainty model in the model
 * folder does not change what is fitted (peaks and clusters come before it); it must only exist for
 * the runtime to start. On the VALIDATION studies it prints the calibration (Brier score, reliability
 * bins) and the per-speck sensitivity at 0.25 / 0.5 / 1 / 2 false marks per image (specks ≥ 0.2 mm
 * at CNR ≥ 3, eval's target) of the heatmap peak and of the fitted certainty. Marks are cached per
 * study folder under --cache (delete it after changing any model or setting). Never point --train or
 * --val at the hold-out.
 *
 * npm run train:speck-certainty -- --stage FILE.onnx --train-crops DUMP --val-crops DUMP [--l2 L] --out FILE | --dry-run
 *
 * The certainty that reads the speck stage (src/detect/speckStage.ts) as a fourth input: the marks
 * come from dumps of `npm run dump:speck-crops` (the same production path, faint marks included),
 * and each mark's stage logit from FILE. On a training study it is the mean over the networks that
 * never saw the study (FILE's training record lists what each learnt from): logits of networks that
 * had learnt a mark would look surer than they are on new images. The written model names FILE's
 * name as its stage, so FILE belongs in the same model folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { generatorVersion } from '../synth/generatorVersion';
import { fitLogistic } from '../../src/classify/trainLogistic';
import { logisticProbability } from '../../src/classify/logisticModel';
import { analysePreparedImageInDetail } from '../../src/detect/analyseImage';
import { detectionParametersFor } from '../../src/detect/detectionParameters';
import { closeDetectionRuntimes, getDetectionRuntime } from '../../src/detect/detectionRuntime';
import {
  SPECK_CERTAINTY_FEATURE_NAMES,
  STAGE_FEATURE_NAME,
  meanStageLogit,
  speckCertaintyFeatures,
  type SpeckCertaintyModelFile,
} from '../../src/detect/speckCertainty';
import { stageLogitsOfCrops } from '../../src/detect/speckStage';
import { readCropIndex, readCropStudy } from './speckCropDump';
import { SPECK_CERTAINTY_MODEL_FILE } from '../../src/detect/algorithmIdentity';
import type { Config } from '../../src/config/schema';
import { calibration } from '../eval/calibration';
import { evaluationConfig } from '../eval/evaluationConfig';
import { isTargetSpeck, studyOfId, syntheticCases } from '../eval/evaluationCases';
import { frocCurve, sensitivityAt } from '../eval/froc';
import { SPECK_HIT_MM, scoredSpeckMarks, speckFrocMarks, type SpeckFrocMark } from '../eval/speckFrocMarks';
import { option } from '../commandLine';

const RATES = [0.25, 0.5, 1, 2];

/** One speck mark: the certainty's inputs, and its FROC mark (hits on the truth) for scoring. */
interface MarkRow {
  x: number[];
  peak: number;
  froc: SpeckFrocMark;
}

/** The marks of one study folder, with what a per-speck FROC over it needs. */
interface MarkSet {
  dataset: string;
  studies: string[];
  images: number;
  targetSpecks: number;
  rows: MarkRow[];
}

async function collectMarks(dir: string, config: Config, cacheFile: string): Promise<MarkSet> {
  if (fs.existsSync(cacheFile)) return JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as MarkSet;
  const cases = syntheticCases(dir);
  if (cases.length === 0) throw new Error(`${dir}: no labelled images (*.dcm with *.truth.json)`);
  const params = detectionParametersFor(config);
  const runtime = await getDetectionRuntime(config, params);
  const set: MarkSet = { dataset: path.resolve(dir), studies: [], images: 0, targetSpecks: 0, rows: [] };
  for (const c of cases) {
    const prepared = await c.prepare(config.imaging);
    if (!prepared.ok) throw new Error(`${c.id}: ${prepared.reason}`);
    const truth = c.specks ?? [];
    const specks = scoredSpeckMarks((await analysePreparedImageInDetail(prepared.image, runtime, params)).specks, truth, c);
    const frocMarks = speckFrocMarks(specks, truth, c.id, c.spacingMm);
    specks.forEach((s, i) =>
      set.rows.push({ x: speckCertaintyFeatures(s.peak, s.cluster), peak: s.peak, froc: frocMarks[i] }),
    );
    set.images++;
    set.targetSpecks += truth.filter(isTargetSpeck).length;
    const study = studyOfId(c.id);
    if (!set.studies.includes(study)) set.studies.push(study);
    process.stderr.write(`${c.id}: ${specks.length} speck marks\n`);
  }
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  fs.writeFileSync(cacheFile, JSON.stringify(set));
  return set;
}

/** What a stage file's training record says each of its networks learnt from. */
interface StageRecord {
  networks: { trainedOn: string[] }[];
}

/** The marks of a crop dump, each with the stage logit averaged over the networks that never saw its study. */
async function marksFromDump(dir: string, session: ort.InferenceSession, record: StageRecord): Promise<MarkSet> {
  const index = readCropIndex(dir);
  const set: MarkSet = { dataset: path.resolve(dir), studies: [], images: 0, targetSpecks: 0, rows: [] };
  for (const study of index.studies) {
    const unseen = record.networks.flatMap((n, k) => (n.trainedOn.includes(study.key) ? [] : [k]));
    if (unseen.length === 0) throw new Error(`${dir}: every network of the stage learnt from ${study.key}, and its logits there would look surer than on new images: fit the certainty on studies the stage never saw (or train the stage in folds)`);
    const { crops, marks } = readCropStudy(dir, study);
    const logits = await stageLogitsOfCrops(ort, session, crops);
    marks.forEach((m, i) => {
      const stage = meanStageLogit(unseen.map((k) => logits[i][k]));
      set.rows.push({ x: speckCertaintyFeatures(m.peak, m.cluster, stage), peak: m.peak, froc: m.froc });
    });
    set.studies.push(study.key);
    set.images += study.images;
    set.targetSpecks += study.targetSpecks;
  }
  return set;
}

const onSpeck = (r: MarkRow) => r.froc.all.hits.length > 0;

/** Sensitivity for eval's target specks at each of RATES false marks per image, ranked by `score`. */
function targetSensitivity(sets: MarkSet[], score: (r: MarkRow) => number): Record<string, number> {
  const marks = sets.flatMap((s) =>
    s.rows.flatMap((r) => (r.froc.target ? [{ ...r.froc.target, score: score(r) }] : [])),
  );
  const curve = frocCurve(
    marks,
    sets.reduce((n, s) => n + s.targetSpecks, 0),
    sets.reduce((n, s) => n + s.images, 0),
  );
  return Object.fromEntries(RATES.map((rate) => [String(rate), sensitivityAt(curve, rate).sensitivity]));
}

/** Brier score and expected calibration error (reliability bins weighted by their marks). */
function calibrationOf(sets: MarkSet[], score: (r: MarkRow) => number) {
  const rows = sets.flatMap((s) => s.rows);
  const { brier, bins } = calibration(rows.map(score), rows.map(onSpeck));
  const error =
    bins.reduce((e, b) => e + b.clusters * Math.abs(b.meanProbability - b.malignantShare), 0) / rows.length;
  return {
    brier,
    calibrationError: error,
    bins: bins.map((b) => ({
      from: b.from,
      to: b.to,
      marks: b.clusters,
      meanScore: b.meanProbability,
      onSpeckShare: b.malignantShare,
    })),
  };
}

const fmt = (v: number[]) => v.map((x) => x.toFixed(3)).join(' / ');

async function main(): Promise<void> {
  const trainDirs = (option('train') ?? '').split(',').filter(Boolean);
  const valDirs = (option('val') ?? '').split(',').filter(Boolean);
  const stageFile = option('stage');
  const trainCrops = (option('train-crops') ?? '').split(',').filter(Boolean);
  const valCrops = (option('val-crops') ?? '').split(',').filter(Boolean);
  if (stageFile ? trainCrops.length === 0 || valCrops.length === 0 : trainDirs.length === 0 || valDirs.length === 0)
    throw new Error(
      'usage: npm run train:speck-certainty -- --train DIR[,DIR] --val DIR[,DIR] --out FILE | --dry-run, or --stage FILE.onnx --train-crops DUMP --val-crops DUMP --out FILE | --dry-run',
    );
  const dryRun = process.argv.includes('--dry-run');
  const out = option('out');
  if (!dryRun && (!out || out.startsWith('--')))
    throw new Error(
      `--out FILE is required (e.g. DIR/${SPECK_CERTAINTY_MODEL_FILE} in a copy of models/), or --dry-run to write nothing`,
    );
  if (out && !dryRun) fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const l2 = Number(option('l2') ?? '0.001');
  let train: MarkSet[] = [];
  let val: MarkSet[] = [];
  if (stageFile) {
    const recordFile = stageFile.replace(/\.onnx$/, '.training.json');
    if (!fs.existsSync(recordFile)) throw new Error(`--stage ${stageFile}: no training record ${recordFile} beside it (npm run train:speck-stage writes one)`);
    const record = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as StageRecord;
    const session = await ort.InferenceSession.create(stageFile);
    for (const d of trainCrops) train.push(await marksFromDump(d, session, record));
    for (const d of valCrops) val.push(await marksFromDump(d, session, record));
    await session.release();
  } else {
    const cacheDir = option('cache') ?? '/tmp/mammocad-speck-marks';
    const config = evaluationConfig(option('config'));
    const load = async (dirs: string[]) => {
      const sets: MarkSet[] = [];
      for (const d of dirs)
        sets.push(await collectMarks(d, config, path.join(cacheDir, `${path.basename(path.resolve(d))}.json`)));
      return sets;
    };
    train = await load(trainDirs);
    val = await load(valDirs);
  }
  const featureNames = stageFile ? [...SPECK_CERTAINTY_FEATURE_NAMES, STAGE_FEATURE_NAME] : [...SPECK_CERTAINTY_FEATURE_NAMES];

  const rows = train.flatMap((s) => s.rows);
  const y = rows.map((r) => (onSpeck(r) ? 1 : 0));
  const positives = y.filter((v) => v === 1).length;
  if (positives === 0 || positives === y.length)
    throw new Error(
      `--train: ${positives} of ${y.length} speck marks on a true speck; the fit needs both kinds`,
    );
  const fitted = fitLogistic(
    rows.map((r) => r.x),
    y,
    { l2, iterations: 4000, learningRate: 0.5 },
  );
  const model: SpeckCertaintyModelFile = {
    kind: 'logistic-regression',
    version: '1',
    features: featureNames,
    ...fitted,
    ...(stageFile ? { stage: { file: path.basename(stageFile) } } : {}),
    platt: { a: 1, b: 0 },
    training: {},
  };
  const certainty = (r: MarkRow) => logisticProbability(model, r.x);
  const peak = (r: MarkRow) => r.peak;

  const valImages = val.reduce((n, s) => n + s.images, 0);
  const validation = {
    studies: val.map((s) => ({ dataset: s.dataset, studies: s.studies })),
    images: valImages,
    marks: val.reduce((n, s) => n + s.rows.length, 0),
    targetSpecks: val.reduce((n, s) => n + s.targetSpecks, 0),
    heatmapPeak: { ...calibrationOf(val, peak), targetSensitivityAt: targetSensitivity(val, peak) },
    certainty: { ...calibrationOf(val, certainty), targetSensitivityAt: targetSensitivity(val, certainty) },
  };
  console.log(
    `training: ${rows.length} speck marks (${positives} on a true speck) in ${train.reduce((n, s) => n + s.images, 0)} images`,
  );
  // Weights are per standard deviation of each input: divided by its scale, per unit.
  featureNames.forEach((name, i) =>
    console.log(`  ${name}: ${(fitted.weights[i] / fitted.scales[i]).toFixed(3)} per unit`),
  );
  console.log(
    `validation: ${valImages} images, ${validation.marks} speck marks, ${validation.targetSpecks} target specks`,
  );
  for (const [name, v] of [
    ['heatmap peak', validation.heatmapPeak],
    ['certainty', validation.certainty],
  ] as const)
    console.log(
      `  ${name}: Brier ${v.brier.toFixed(3)}, calibration error ${v.calibrationError.toFixed(3)}, sensitivity at 0.25/0.5/1/2 false marks per image ${fmt(RATES.map((r) => v.targetSensitivityAt[String(r)]))}`,
    );
  if (dryRun || !out) return;

  model.training = {
    command: `npm run train:speck-certainty -- ${process.argv.slice(2).join(' ')}`,
    generator: generatorVersion(),
    label: `on a true speck of any size or contrast (within ${SPECK_HIT_MM} mm)`,
    trainStudies: train.map((s) => ({ dataset: s.dataset, studies: s.studies })),
    trainImages: train.reduce((n, s) => n + s.images, 0),
    marks: { onSpeck: positives, offSpeck: y.length - positives },
    l2,
    validation,
  };
  fs.writeFileSync(out, JSON.stringify(model, null, 2) + '\n');
  console.log(`wrote ${out}`);
}

main()
  .catch((error: unknown) => {
    console.error(`train:speck-certainty: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => closeDetectionRuntimes());
