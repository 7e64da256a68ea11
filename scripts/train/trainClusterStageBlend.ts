/**
 * npm run train:cluster-stage-blend -- --train DIR[,DIR...] --val DIR [--config FILE] [--match-rate R] --out FILE | --dry-run
 *
 * Fits the digital reducer's stage blend (src/detect/clusterStageBlend.ts). Every candidate cluster
 * of the TRAINING studies (synthetic ground-truth format) comes from the production path at floor 0
 * with the model folder's reducer without its blend, and gets its reducer probability, the mean
 * speck-stage logit of its specks and the evaluation's hit rule (centre inside a true cluster's
 * region; a false one inside a real finding the truth lists as unlabelled is left out, as eval does).
 * The studies must be ones no stage network learnt (the stage's training record lists those), or
 * its logits look surer than on new images. The floor passes as many false clusters per image on
 * training and validation together as the reducer alone does at its own floor (rateMatchedFloor),
 * or --match-rate R of them: the reducer's own floor is its film-tissue budget (trainClusterFilter),
 * so a refitted reducer moves the digital operating point unless the rate is given (0.3.21: 0.0865).
 * Prints the validation's cluster FROC with and without the blend. Writes the folder's reducer file
 * with the blend to --out. Never point --train or --val at the hold-out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analysePreparedImageInDetail } from '../../src/detect/analyseImage';
import { CLUSTER_FILTER_MODEL_FILE } from '../../src/detect/algorithmIdentity';
import { clusterFilterFloor, reducerAlone, type ClusterFilterModelFile } from '../../src/detect/clusterFilter';
import { detectionParametersFor } from '../../src/detect/detectionParameters';
import { closeDetectionRuntimes, getDetectionRuntime, type DetectionRuntime } from '../../src/detect/detectionRuntime';
import { memberStageLogit } from '../../src/detect/clusterStageBlend';
import { evaluationConfig } from '../eval/evaluationConfig';
import { clusterMarkHits, syntheticCases } from '../eval/evaluationCases';
import { frocCurve, sensitivityAt } from '../eval/froc';
import { generatorVersion } from '../synth/generatorVersion';
import { parseArgs } from '../synth/parseArgs';
import { blendedScore, fitStageBlend, floorAtRate, rateMatchedFloor, type BlendCandidate } from './clusterStageBlendFit';

const RATES = [0.25, 0.5, 1, 2];

async function candidatesOf(dir: string, runtime: DetectionRuntime, config: ReturnType<typeof evaluationConfig>): Promise<{ rows: BlendCandidate[]; images: number; trueClusters: number }> {
  const params = { ...detectionParametersFor(config), clusterFloor: 0 };
  const cases = syntheticCases(dir);
  if (cases.length === 0) throw new Error(`${dir}: no labelled images (*.dcm with *.truth.json)`);
  const rows: BlendCandidate[] = [];
  let trueClusters = 0;
  for (const c of cases) {
    const prepared = await c.prepare(config.imaging);
    if (!prepared.ok) throw new Error(`${c.id}: ${prepared.reason}`);
    const { findings, specks } = await analysePreparedImageInDetail(prepared.image, runtime, params);
    const logitAt = new Map(specks.map((s) => [`${s.center.x},${s.center.y}`, s.stageLogits]));
    for (const k of findings.clusters) {
      const hit = clusterMarkHits(k.center, c);
      if (hit === null) continue;
      const hits = hit.map((t) => `${c.id}/${t.id}`);
      // memberStageLogit says so when a member was not scored (the folder's certainty names no stage).
      const stage = memberStageLogit(k.calcifications.map((m) => ({ stageLogits: logitAt.get(`${m.center.x},${m.center.y}`) })));
      rows.push({ image: c.id, reducer: k.detectionScore, stage, hits });
    }
    trueClusters += c.clusters.length;
    process.stderr.write(`${c.id}: ${findings.clusters.length} candidates\n`);
  }
  return { rows, images: cases.length, trueClusters };
}

function frocRow(rows: BlendCandidate[], score: (r: BlendCandidate) => number, trueClusters: number, images: number): string {
  const curve = frocCurve(rows.map((r) => ({ score: score(r), hits: r.hits })), trueClusters, images);
  return RATES.map((rate) => sensitivityAt(curve, rate).sensitivity.toFixed(3)).join(' / ');
}

function atFloor(rows: BlendCandidate[], score: (r: BlendCandidate) => number, floor: number, trueClusters: number, images: number): string {
  const kept = rows.filter((r) => score(r) >= floor);
  const found = new Set(kept.flatMap((r) => r.hits)).size;
  return `${(found / trueClusters).toFixed(3)} at ${(kept.filter((r) => r.hits.length === 0).length / images).toFixed(3)} false per image`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const train = (args.get('train') ?? '').split(',').filter(Boolean);
  const val = args.get('val');
  const out = args.get('out');
  if (train.length === 0 || !val || (!out && !args.has('dry-run')))
    throw new Error('usage: npm run train:cluster-stage-blend -- --train DIR[,DIR] --val DIR [--config FILE] [--match-rate R] --out FILE | --dry-run');
  const matchRate = args.has('match-rate') ? Number(args.get('match-rate')) : undefined;
  if (matchRate !== undefined && !(matchRate > 0)) throw new Error(`--match-rate ${args.get('match-rate')}: a number of false clusters per image above 0`);
  const config = evaluationConfig(args.get('config'));
  const loaded = await getDetectionRuntime(config);
  // Candidates are scored by the reducer alone: the blend is fitted on its log-odds.
  const base = reducerAlone(loaded.clusterFilters.fine);
  const runtime = { ...loaded, clusterFilters: { ...loaded.clusterFilters, fine: base } };
  const training = { rows: [] as BlendCandidate[], images: 0, trueClusters: 0 };
  for (const dir of train) {
    const got = await candidatesOf(dir, runtime, config);
    training.rows.push(...got.rows);
    training.images += got.images;
    training.trueClusters += got.trueClusters;
  }
  const trueRows = training.rows.filter((r) => r.hits.length > 0).length;
  if (trueRows < 2 || training.rows.length - trueRows < 2)
    throw new Error(`the training studies give ${training.rows.length} candidate clusters, ${trueRows} of them true: too few of each to fit the blend`);
  const validation = await candidatesOf(val, runtime, config);
  const blend = fitStageBlend(training.rows);
  const reducerFloor = clusterFilterFloor(base);
  const candidates = [...training.rows, ...validation.rows];
  const images = training.images + validation.images;
  const { floor, falsePerImage } =
    matchRate === undefined
      ? rateMatchedFloor(candidates, images, blend, reducerFloor)
      : { floor: floorAtRate(candidates, images, blend, matchRate), falsePerImage: matchRate };
  const score = (r: BlendCandidate) => blendedScore(blend, r);
  const v = validation;
  const report = {
    validationReducer: frocRow(v.rows, (r) => r.reducer, v.trueClusters, v.images),
    validationBlend: frocRow(v.rows, score, v.trueClusters, v.images),
    validationReducerAtFloor: atFloor(v.rows, (r) => r.reducer, reducerFloor, v.trueClusters, v.images),
    validationBlendAtFloor: atFloor(v.rows, score, floor, v.trueClusters, v.images),
  };
  const rateSource = matchRate === undefined ? `the reducer's at ${reducerFloor}` : 'as given';
  console.log(`blend: ${JSON.stringify(blend)}; floor ${floor.toFixed(3)} (${falsePerImage.toFixed(3)} false clusters per image, ${rateSource})`);
  console.log(`validation (${v.trueClusters} clusters, ${v.images} images) at ${RATES.join(' / ')} false per image:`);
  console.log(`  reducer alone ${report.validationReducer}; at its floor ${report.validationReducerAtFloor}`);
  console.log(`  with the stage ${report.validationBlend}; at the floor ${report.validationBlendAtFloor}`);
  if (!out) return;
  const modelDir = path.resolve(config.inference.modelDir);
  const file: ClusterFilterModelFile = JSON.parse(fs.readFileSync(path.join(modelDir, CLUSTER_FILTER_MODEL_FILE), 'utf8'));
  file.stage = {
    ...blend,
    floor: Number(floor.toFixed(3)),
    training: {
      train: train.map((d) => path.basename(path.resolve(d))),
      validation: path.basename(path.resolve(val)),
      candidates: training.rows.length,
      trueCandidates: trueRows,
      images: training.images,
      reducerFloor,
      falseClustersPerImageMatched: Number(falsePerImage.toFixed(4)),
      ...(matchRate === undefined ? {} : { matchRateGiven: true }),
      generator: generatorVersion(),
      ...report,
    },
  };
  fs.writeFileSync(out, JSON.stringify(file, null, 2) + '\n');
  console.log(`wrote ${out}`);
}

main()
  .catch((error: unknown) => {
    console.error(`train:cluster-stage-blend: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => closeDetectionRuntimes());
