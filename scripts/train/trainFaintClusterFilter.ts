/**
 * npm run train:faint-cluster-filter -- --train DIR[,DIR...] --val DIR[,DIR...] [--budget 0.5]
 *   [--real-tissue DIR[,DIR...]] [--real-budget 0.25] [--l2 0.01] [--config FILE] --out FILE | --dry-run
 *
 * Fits the faint tier's filter (src/detect/faintClusters.ts) and chooses its floor. On every image
 * of the studies (synthetic ground-truth format) the production path runs with the faint tier off
 * (analysePreparedImageInDetail: the node's detector, reducers, speck stage and floors, --config
 * merged on top); its first-tier clusters and the faint specks give the faint candidates exactly as
 * the node builds them, each labelled 1 when its centre lies inside a true cluster's region (eval's
 * hit rule). A logistic regression on faintClusterFeatures is fitted to the TRAINING candidates.
 *
 * The floor: on the VALIDATION studies, the first tier's reported clusters rank above every faint
 * candidate, and the floor sits at the knee of that curve within --budget false clusters per image
 * (both tiers together; scripts/eval/froc.ts kneeFloor). 1 (the tier off) when no faint candidate
 * adds a cluster within the budget. The synthetic tissue does not show how the speck stage reads
 * real texture, so with --real-tissue (real digital tissue no training used, with synthetic clusters
 * inserted: `npm run synth:real-tissue -- --tissue ffdm --holdout`) the floor is raised, where needed,
 * until the faint tier adds at most --real-budget false clusters per image there (froc.ts
 * budgetFloor, the first tier's real-tissue rule). Prints the validation sensitivity at 0.25 / 0.5 /
 * 1 false clusters per image with and without the tier, and what the floor gives on each set.
 *
 * The speck stage's logits are what the filter reads, so the training studies must be studies the
 * stage never learnt from (its training record lists them): this refuses those. Never point --train
 * or --val at the hold-out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analysePreparedImageInDetail } from '../../src/detect/analyseImage';
import { FAINT_CLUSTER_FILTER_MODEL_FILE } from '../../src/detect/algorithmIdentity';
import { firstTierClusters } from '../../src/detect/buildClusterFindings';
import { detectionParametersFor } from '../../src/detect/detectionParameters';
import {
  clusterReducerFor,
  closeDetectionRuntimes,
  getDetectionRuntime,
  speckCertaintyFor,
  type DetectionRuntime,
} from '../../src/detect/detectionRuntime';
import {
  FAINT_CLUSTER_FEATURE_NAMES,
  faintCandidateClusters,
  faintClusterFeatures,
  type FaintClusterFilterModelFile,
} from '../../src/detect/faintClusters';
import { awayFromBreastEdge } from '../../src/detect/skinLineFilter';
import { readsSpeckStage } from '../../src/detect/speckCertainty';
import { fitLogistic } from '../../src/classify/trainLogistic';
import { logisticProbability } from '../../src/classify/logisticModel';
import type { Config } from '../../src/config/schema';
import { evaluationConfig } from '../eval/evaluationConfig';
import { insideRegion, studyOfId, syntheticCases } from '../eval/evaluationCases';
import { budgetFloor, frocCurve, kneeFloor, sensitivityAt, type ScoredMark } from '../eval/froc';
import { generatorVersion } from '../synth/generatorVersion';

const RATES = [0.25, 0.5, 1];

/** One faint candidate: the filter's inputs and the true clusters its centre falls in. */
interface FaintRow {
  x: number[];
  hits: string[];
}

/** The candidates of some study folders, with what the validation curve needs. */
interface CandidateSet {
  studies: string[];
  images: number;
  trueClusters: number;
  /** Hits of each first-tier reported cluster (empty: a false cluster). */
  firstTier: string[][];
  faint: FaintRow[];
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The studies each network of the stage learnt from (train_speck_stage.py's record). */
function stageStudies(modelDir: string, stageFile: string): Set<string> {
  const record = path.join(modelDir, stageFile.replace(/\.onnx$/, '.training.json'));
  if (!fs.existsSync(record)) throw new Error(`no training record ${record} beside the speck stage`);
  const { networks } = JSON.parse(fs.readFileSync(record, 'utf8')) as { networks: { trainedOn: string[] }[] };
  return new Set(networks.flatMap((n) => n.trainedOn));
}

async function collect(
  dirs: string[],
  config: Config,
  runtime: DetectionRuntime,
  refuse: Set<string>,
): Promise<CandidateSet> {
  // The faint tier off: the node's first tier, with the faint specks scored by the stage.
  const params = { ...detectionParametersFor(config), faintClusterFloor: 1 };
  const set: CandidateSet = { studies: [], images: 0, trueClusters: 0, firstTier: [], faint: [] };
  for (const dir of dirs) {
    const cases = syntheticCases(dir);
    if (cases.length === 0) throw new Error(`${dir}: no labelled images (*.dcm with *.truth.json)`);
    const seen = cases
      .map((c) => `${path.basename(path.resolve(dir))}/${studyOfId(c.id)}`)
      .filter((k) => refuse.has(k));
    if (seen.length)
      throw new Error(
        `${dir}: the speck stage learnt from ${[...new Set(seen)].join(', ')}; fit the faint filter on studies it never saw`,
      );
    for (const c of cases) {
      const prepared = await c.prepare(config.imaging);
      if (!prepared.ok) throw new Error(`${c.id}: ${prepared.reason}`);
      const image = prepared.image;
      if (!readsSpeckStage(speckCertaintyFor(runtime.speckCertainty, params, image)))
        throw new Error(
          `${c.id}: this image's speck certainty reads no speck stage, so the faint tier does not run on it (digitised film?)`,
        );
      const { detection } = await analysePreparedImageInDetail(image, runtime, params, performance.now(), {
        faintMarks: 'always',
      });
      if (!detection) throw new Error(`${c.id}: the detector gave no result`);
      const margin = params.edgeMarginMm / image.workingSpacingMm;
      const edge = (s: typeof detection.specks) =>
        awayFromBreastEdge(s, image.mask, image.width, image.height, margin);
      const specks = edge(detection.specks);
      const reducer = clusterReducerFor(runtime.clusterFilters, params, image);
      const kept = await firstTierClusters(
        specks,
        image,
        image.workingSpacingMm,
        reducer,
        params,
        (model, patches, size) => runtime.pool.scoreRegions(model, patches, size),
      );
      const hitsOf = (centre: { x: number; y: number }) =>
        c.clusters.filter((t) => insideRegion(image.transform.toOriginal(centre), t.region)).map((t) => t.id);
      set.firstTier.push(...kept.map((k) => hitsOf(k.centre)));
      const rule = { ...params, minSpecks: reducer.minSpecks, minComponents: reducer.minComponents };
      for (const k of faintCandidateClusters(
        specks,
        edge(detection.faintSpecks ?? []),
        kept,
        image,
        image.workingSpacingMm,
        rule,
      ))
        set.faint.push({ x: faintClusterFeatures(k.specks), hits: hitsOf(k.centre) });
      set.images++;
      set.trueClusters += c.clusters.length;
      process.stderr.write(`${c.id}: ${kept.length} first-tier clusters\n`);
    }
    set.studies.push(...new Set(cases.map((c) => `${path.basename(path.resolve(dir))}/${studyOfId(c.id)}`)));
  }
  return set;
}

/** Both tiers' cluster FROC: the first tier's reported clusters above every faint candidate (score 2),
 * the faint ones at `score`. */
function bothTiers(set: CandidateSet, score: (r: FaintRow) => number) {
  const marks: ScoredMark[] = [
    ...set.firstTier.map((hits) => ({ score: 2, hits })),
    ...set.faint.map((r) => ({ score: score(r), hits: r.hits })),
  ];
  return frocCurve(marks, set.trueClusters, set.images);
}

const fmt = (curve: ReturnType<typeof frocCurve>) =>
  RATES.map((r) => sensitivityAt(curve, r).sensitivity.toFixed(3)).join(' / ');

async function main(): Promise<void> {
  const trainDirs = (option('train') ?? '').split(',').filter(Boolean);
  const valDirs = (option('val') ?? '').split(',').filter(Boolean);
  if (trainDirs.length === 0 || valDirs.length === 0)
    throw new Error(
      'usage: npm run train:faint-cluster-filter -- --train DIR[,DIR] --val DIR[,DIR] [--budget 0.5] --out FILE | --dry-run',
    );
  const dryRun = process.argv.includes('--dry-run');
  const out = option('out');
  if (!dryRun && (!out || out.startsWith('--')))
    throw new Error(
      `--out FILE is required (e.g. DIR/${FAINT_CLUSTER_FILTER_MODEL_FILE} in a copy of models/), or --dry-run to write nothing`,
    );
  const budget = Number(option('budget') ?? '0.5');
  const realDirs = (option('real-tissue') ?? '').split(',').filter(Boolean);
  const realBudget = Number(option('real-budget') ?? '0.25');
  const l2 = Number(option('l2') ?? '0.01');
  if (!(budget > 0)) throw new Error('--budget must be a positive number of false clusters per image');
  const config = evaluationConfig(option('config'));
  const runtime = await getDetectionRuntime(config, detectionParametersFor(config));
  const stage = runtime.speckCertainty.fine.stage;
  if (!stage)
    throw new Error(
      `the speck certainty in ${config.inference.modelDir} reads no speck stage: the faint tier has nothing to read`,
    );
  const seen = stageStudies(config.inference.modelDir, stage.file);
  const train = await collect(trainDirs, config, runtime, seen);
  const val = await collect(valDirs, config, runtime, seen);
  const real = realDirs.length ? await collect(realDirs, config, runtime, seen) : undefined;
  await closeDetectionRuntimes();

  const y = train.faint.map((r) => (r.hits.length > 0 ? 1 : 0));
  const positives = y.filter((v) => v === 1).length;
  if (positives === 0 || positives === y.length)
    throw new Error(
      `--train: ${positives} of ${y.length} faint candidates in a true cluster; the fit needs both kinds`,
    );
  const fitted = fitLogistic(
    train.faint.map((r) => r.x),
    y,
    { l2, iterations: 4000, learningRate: 0.5 },
  );
  const model: FaintClusterFilterModelFile = {
    kind: 'logistic-regression',
    version: '1',
    features: [...FAINT_CLUSTER_FEATURE_NAMES],
    ...fitted,
    platt: { a: 1, b: 0 },
    training: {},
  };
  const probability = (r: FaintRow) => logisticProbability(model, r.x);
  const firstOnly = bothTiers(val, () => 0);
  const firstTierCurve = firstOnly.filter((p) => p.threshold >= 2);
  const curve = bothTiers(val, probability);
  const knee = kneeFloor(curve, budget);
  // A knee among the first tier's clusters (score 2): no faint candidate helps within the budget.
  const kneeAt = knee && knee.knee.threshold < 2 ? knee.floor : 1;
  const realFloor = real
    ? budgetFloor(real.faint.filter((r) => r.hits.length === 0).map(probability), real.images, realBudget)
    : 0;
  const floor = Math.max(kneeAt, realFloor);
  const atFloor = curve.filter((p) => p.threshold >= floor).at(-1)!;
  const realCurve = real && bothTiers(real, probability);
  const realAtFloor = realCurve?.filter((p) => p.threshold >= floor).at(-1);
  model.training = {
    generator: generatorVersion(),
    speckStage: stage.file,
    trainStudies: train.studies,
    validationStudies: val.studies,
    candidates: y.length,
    inTrueClusters: positives,
    l2,
    budget,
    kneeFloor: kneeAt,
    ...(real
      ? {
          realTissue: {
            studies: real.studies,
            images: real.images,
            budget: realBudget,
            floor: realFloor,
            atFloor: realAtFloor,
          },
        }
      : {}),
    floor,
    validation: {
      images: val.images,
      trueClusters: val.trueClusters,
      faintCandidates: val.faint.length,
      firstTierAt: Object.fromEntries(
        RATES.map((r) => [String(r), sensitivityAt(firstTierCurve, r).sensitivity]),
      ),
      bothTiersAt: Object.fromEntries(RATES.map((r) => [String(r), sensitivityAt(curve, r).sensitivity])),
      atFloor: { sensitivity: atFloor.sensitivity, falseClustersPerImage: atFloor.falseMarksPerImage },
    },
  };
  console.log(
    `training: ${y.length} faint candidates (${positives} in a true cluster) in ${train.images} images`,
  );
  console.log(
    `weights (per standardised unit): ${FAINT_CLUSTER_FEATURE_NAMES.map((n, i) => `${n} ${fitted.weights[i].toFixed(3)}`).join(', ')}; bias ${fitted.bias.toFixed(3)}`,
  );
  console.log(
    `validation: ${val.images} images, ${val.trueClusters} true clusters, ${val.faint.length} faint candidates`,
  );
  console.log(
    `  clusters at ${RATES.join(' / ')} false per image: first tier ${fmt(firstTierCurve)}; both tiers ${fmt(curve)}`,
  );
  console.log(
    `  knee floor ${kneeAt.toFixed(3)} (budget ${budget})${real ? `, real-tissue floor ${realFloor.toFixed(3)} (budget ${realBudget})` : ''}: floor ${floor.toFixed(3)}`,
  );
  console.log(
    `  at the floor: validation ${atFloor.sensitivity.toFixed(3)} at ${atFloor.falseMarksPerImage.toFixed(3)} false clusters per image`,
  );
  if (real && realCurve && realAtFloor) {
    const first = realCurve.filter((p) => p.threshold >= 2).at(-1)!;
    console.log(
      `  real tissue (${real.images} images, ${real.trueClusters} inserted clusters): first tier ${first.sensitivity.toFixed(3)} at ${first.falseMarksPerImage.toFixed(3)}; both tiers at the floor ${realAtFloor.sensitivity.toFixed(3)} at ${realAtFloor.falseMarksPerImage.toFixed(3)}`,
    );
  }
  if (dryRun) return;
  fs.mkdirSync(path.dirname(path.resolve(out!)), { recursive: true });
  fs.writeFileSync(out!, JSON.stringify(model, null, 1) + '\n');
  console.log(
    `wrote ${out}; set DEFAULT_DETECTION_PARAMETERS.faintClusterFloor to ${floor.toFixed(3)} when committing it`,
  );
}

main().catch(async (e: unknown) => {
  await closeDetectionRuntimes();
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
