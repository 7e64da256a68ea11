/**
 * npm run train:cluster-filter -- --train DIR[,DIR...] --val DIR[,DIR...]
 *   [--settings 0.5@3,0.6@4,0.7@5] [--setting T@L] [--max-speck-mm D] [--join-threshold T] [--split-mm R] [--split-dip L] [--split-components N] [--split-components-coarse N] [--split-min-mm D] [--split-min-peak P] [--split-min-peak-coarse P] [--min-specks N] [--min-specks-coarse N] [--floor-rate R] [--real-tissue DIR[,DIR] [--real-tissue-rate R]] [--l2 L] [--cache DIR] [--model-dir DIR]
 *   --out FILE | --dry-run
 *
 * Trains the cluster false-positive reducer (src/detect/clusterFilter.ts): candidate clusters of
 * synthetic TRAINING studies at each post-processing setting (speck threshold @ link distance in
 * mm), labelled hit/miss with the evaluation's rule, a
 * logistic regression on the clusterFilterFeatures; the VALIDATION studies give the cluster FROC of
 * each setting (printed beside the old heuristic score and the candidates' ceiling), the chosen
 * setting (--setting, else the best mean sensitivity at 0.25/0.5/1/2 false clusters per image)
 * and the floor (at the knee of the validation curve: the best sensitivity within --floor-rate false
 * clusters per image, with the fewest false clusters; see kneeFloor), raised where needed so that
 * the false candidates of --real-tissue (labelled images of real normal tissue with synthetic
 * clusters, such as the film-tissue validation set) stay within --real-tissue-rate per image
 * (default 0.25; budgetFloor): synthetic validation tissue cannot show how the reducer scores real
 * texture (models/HISTORY.md, "0.3.14"). Never point --train or --val
 * at the hold-out. --out has no default: a default of the committed models/ file silently replaced it
 * whenever a reproduction forgot the flag.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generatorVersion } from '../synth/generatorVersion';
import { configSchema } from '../../src/config/schema';
import { fitLogistic } from '../../src/classify/trainLogistic';
import { CLUSTER_FILTER_FEATURE_NAMES } from '../../src/detect/clusterFilterFeatures';
import { clusterFilterProbability, type ClusterFilterModelFile } from '../../src/detect/clusterFilter';
import { DEFAULT_DETECTION_PARAMETERS } from '../../src/detect/detectionParameters';
import { CLUSTER_FILTER_MODEL_FILE } from '../../src/detect/algorithmIdentity';
import { budgetFloor, frocCurve, kneeFloor, sensitivityAt, type FrocPoint, type ScoredMark } from '../eval/froc';
import { speckExtractionOverrides } from '../eval/speckExtractionOverrides';
import { studyOfId } from '../eval/evaluationCases';
import {
  collectCandidates,
  parseSetting,
  settingKey,
  speckExtractionRecord,
  type CandidateRow,
  type CandidateSet,
} from './clusterCandidates';
import { option } from '../commandLine';

const RATES = [0.25, 0.5, 1, 2];

function featuresOf(row: CandidateRow) {
  return Object.fromEntries(CLUSTER_FILTER_FEATURE_NAMES.map((n, i) => [n, row.x[i]])) as Record<
    (typeof CLUSTER_FILTER_FEATURE_NAMES)[number],
    number
  >;
}

function froc(sets: CandidateSet[], setting: string, score: (r: CandidateRow) => number) {
  const marks: ScoredMark[] = sets.flatMap((s) =>
    s.rows.filter((r) => r.setting === setting).map((r) => ({ score: score(r), hits: r.hits })),
  );
  const targets = sets.reduce((n, s) => n + s.trueClusters.length, 0);
  const images = sets.reduce((n, s) => n + s.images.length, 0);
  const curve = frocCurve(marks, targets, images);
  const at = RATES.map((r) => sensitivityAt(curve, r).sensitivity);
  const last = curve[curve.length - 1];
  return {
    curve,
    at,
    mean: at.reduce((a, b) => a + b, 0) / at.length,
    ceiling: last.sensitivity,
    ceilingRate: last.falseMarksPerImage,
  };
}

function fit(train: CandidateSet[], setting: string, l2: number) {
  const rows = train.flatMap((s) => s.rows.filter((r) => r.setting === setting));
  const y = rows.map((r) => (r.hits.length > 0 ? 1 : 0));
  // fitLogistic needs rows (and a regression both classes); an empty set failed inside it.
  const positives = y.filter((v) => v === 1).length;
  if (positives === 0 || positives === y.length)
    throw new Error(
      `--train ${train.map((s) => s.dataset).join(',')}: ${positives} true and ${y.length - positives} false candidate clusters at setting ${setting} (${train.reduce((n, s) => n + s.images.length, 0)} images); training needs both`,
    );
  const fitted = fitLogistic(
    rows.map((r) => r.x),
    y,
    { l2, iterations: 4000, learningRate: 0.5 },
  );
  const model: ClusterFilterModelFile = {
    kind: 'logistic-regression',
    version: '1',
    features: [...CLUSTER_FILTER_FEATURE_NAMES],
    ...fitted,
    platt: { a: 1, b: 0 },
    training: {},
  };
  return { model, positives, negatives: y.length - positives };
}

/** The validation point a floor reports at: the last curve point with a score at or above it. */
function sensitivityAtFloor(curve: FrocPoint[], floor: number): { sensitivity: number; falseMarksPerImage: number } {
  return curve.filter((p) => p.threshold >= floor).pop() ?? { sensitivity: 0, falseMarksPerImage: 0 };
}

/** The study folders (first path segment of each image id, e.g. s2001) of a candidate set. */
const studiesOf = (s: CandidateSet) => [...new Set(s.images.map(studyOfId))];

const fmt = (v: number[]) => v.map((x) => x.toFixed(2)).join(' / ');

async function main(): Promise<void> {
  const trainDirs = (option('train') ?? '').split(',').filter(Boolean);
  const valDirs = (option('val') ?? '').split(',').filter(Boolean);
  if (trainDirs.length === 0 || valDirs.length === 0)
    throw new Error('usage: npm run train:cluster-filter -- --train DIR[,DIR] --val DIR[,DIR]');
  const dryRun = process.argv.includes('--dry-run');
  const out = option('out');
  if (!dryRun && (!out || out.startsWith('--')))
    throw new Error(`--out FILE is required (e.g. DIR/${CLUSTER_FILTER_MODEL_FILE} in a copy of models/), or --dry-run to write nothing`);
  // Its folder is made now, not after the candidates have been collected.
  if (out && !dryRun) fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const settings = (option('settings') ?? '0.5@3,0.6@4,0.7@5').split(',').map(parseSetting);
  const l2 = Number(option('l2') ?? '0.01');
  const floorRate = Number(option('floor-rate') ?? '1');
  const cacheDir = option('cache') ?? '/tmp/mammocad-cluster-candidates';
  // --model-dir: a candidate detector's folder, to train its reducer before it replaces the committed one.
  const modelDir = option('model-dir');
  const config = configSchema.parse(modelDir ? { inference: { modelDir } } : {});
  // The speck-extraction settings are recorded in the file.
  const params = { ...DEFAULT_DETECTION_PARAMETERS, ...speckExtractionOverrides(option) };
  const load = (dir: string) => {
    const name = path.basename(path.resolve(dir));
    return collectCandidates(
      dir,
      settings,
      config,
      params,
      path.join(cacheDir, `${name}.json`),
      path.join(cacheDir, 'heatmaps', name),
    );
  };
  const train: CandidateSet[] = [];
  for (const d of trainDirs) train.push(await load(d));
  const val: CandidateSet[] = [];
  for (const d of valDirs) val.push(await load(d));
  const realDirs = (option('real-tissue') ?? '').split(',').filter(Boolean);
  const realRate = Number(option('real-tissue-rate') ?? '0.25');
  const real: CandidateSet[] = [];
  for (const d of realDirs) real.push(await load(d));
  /** The lowest floor that keeps the real tissue's false candidates within realRate per image. */
  const realTissueFloor = (setting: string, model: ClusterFilterModelFile) => {
    if (real.length === 0) return undefined;
    const images = real.reduce((n, s) => n + s.images.length, 0);
    const scores = real.flatMap((s) => s.rows.filter((r) => r.setting === setting && r.hits.length === 0)).map((r) => clusterFilterProbability(model, featuresOf(r)));
    const floor = Math.ceil(budgetFloor(scores, images, realRate) * 1000) / 1000;
    return { sets: real.map((s) => s.dataset), images, rate: realRate, falseCandidates: scores.length, floor };
  };
  const valImages = val.reduce((n, s) => n + s.images.length, 0);
  if (valImages === 0 || val.every((s) => s.trueClusters.length === 0))
    throw new Error(`--val ${valDirs.join(',')}: ${valImages} images, no true clusters; the validation curve needs both`);

  console.log(
    `validation: ${val.reduce((n, s) => n + s.images.length, 0)} images, ${val.reduce((n, s) => n + s.trueClusters.length, 0)} true clusters`,
  );
  console.log(
    'setting | candidates ceiling (sens @ FP/img) | heuristic sens @ 0.25/0.5/1/2 | filter sens @ 0.25/0.5/1/2 | train +/-',
  );
  const results = settings.map(settingKey).map((t) => {
    const { model, positives, negatives } = fit(train, t, l2);
    const heuristic = froc(val, t, (r) => r.heuristicScore);
    const filtered = froc(val, t, (r) => clusterFilterProbability(model, featuresOf(r)));
    console.log(
      `${t} | ${heuristic.ceiling.toFixed(2)} @ ${heuristic.ceilingRate.toFixed(1)} | ${fmt(heuristic.at)} | ${fmt(filtered.at)} | ${positives}/${negatives}`,
    );
    return { setting: t, model, positives, negatives, heuristic, filtered };
  });
  const chosen = option('setting');
  const best = chosen
    ? results.find((r) => r.setting === settingKey(parseSetting(chosen)))
    : [...results].sort((a, b) => b.filtered.mean - a.filtered.mean)[0];
  if (!best) throw new Error(`--setting ${chosen} is not among --settings`);
  // Floor: at the knee of the validation curve within floorRate false clusters per image (kneeFloor).
  const knee = kneeFloor(best.filtered.curve, floorRate);
  const kneeAt = knee ? Math.floor(knee.floor * 1000) / 1000 : 0.5;
  const realTissue = realTissueFloor(best.setting, best.model);
  const floor = Math.max(kneeAt, realTissue?.floor ?? 0);
  const atFloor = sensitivityAtFloor(best.filtered.curve, floor);
  console.log(
    `chosen setting ${best.setting}, floor ${floor}: the knee ${kneeAt}${realTissue ? `, real-tissue budget ${realTissue.floor}` : ''} (validation: sensitivity ${atFloor.sensitivity.toFixed(2)} at ${atFloor.falseMarksPerImage.toFixed(2)} false clusters per image)`,
  );
  for (const [name, w] of CLUSTER_FILTER_FEATURE_NAMES.map((n, i) => [n, best.model.weights[i]] as const))
    console.log(`  ${name}: ${w.toFixed(3)}`);

  if (dryRun || !out) return;
  const model: ClusterFilterModelFile = {
    ...best.model,
    training: {
      command: `npm run train:cluster-filter -- ${process.argv.slice(2).join(' ')}`,
      generator: generatorVersion(),
      trainStudies: train.map((s) => ({ dataset: s.dataset, studies: studiesOf(s) })),
      trainImages: train.reduce((n, s) => n + s.images.length, 0),
      candidates: { positives: best.positives, negatives: best.negatives },
      l2,
      setting: best.setting,
      ...speckExtractionRecord(params),
      floor,
      floorRate,
      floorRule: realTissue ? 'knee, raised to the real-tissue budget' : 'knee',
      ...(realTissue ? { realTissue } : {}),
      validation: {
        studies: val.map((s) => ({ dataset: s.dataset, studies: studiesOf(s) })),
        images: val.reduce((n, s) => n + s.images.length, 0),
        trueClusters: val.reduce((n, s) => n + s.trueClusters.length, 0),
        byThreshold: results.map((r) => ({
          setting: r.setting,
          candidateCeiling: {
            sensitivity: r.heuristic.ceiling,
            falseClustersPerImage: r.heuristic.ceilingRate,
          },
          heuristicSensitivityAt: Object.fromEntries(
            RATES.map((rate, i) => [String(rate), r.heuristic.at[i]]),
          ),
          filterSensitivityAt: Object.fromEntries(RATES.map((rate, i) => [String(rate), r.filtered.at[i]])),
        })),
      },
    },
  };
  fs.writeFileSync(out, JSON.stringify(model, null, 2) + '\n');
  console.log(`wrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(`train:cluster-filter: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
