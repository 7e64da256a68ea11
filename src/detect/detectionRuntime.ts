import path from 'node:path';
import { loadClassifierModel, type ClassifierModelFile } from '../classify/classifyCluster';
import type { RegionModelPaths } from '../classify/clusterRegion';
import type { Config } from '../config/schema';
import { CLASSIFIER_MODEL_FILE, CLUSTER_FILTER_COARSE_MODEL_FILE, CLUSTER_FILTER_MODEL_FILE, DETECTOR_MODEL_FILE, SPECK_CERTAINTY_COARSE_MODEL_FILE, SPECK_CERTAINTY_MODEL_FILE } from './algorithmIdentity';
import { clusterFilterFloor, loadClusterFilterModel, reducerAlone, type ClusterFilterModelFile, type ClusterReducer } from './clusterFilter';
import { candidateRuleFor, detectionParametersFor, hasCoarsePixels, missingDetectorOutput, type DetectionParameters } from './detectionParameters';
import { DetectorPool } from './detectorPool';
import { loadSpeckCertaintyModel, type SpeckCertaintyModelFile } from './speckCertainty';

/** The cluster false-positive reducers: one for digital images, one for coarse ones (digitised film). */
export interface ClusterFilters {
  fine: ClusterFilterModelFile;
  coarse: ClusterFilterModelFile;
}

/** The reducer for an image, with its floor and the rule of the candidates it was fitted on:
 * digitised film has its own (detectionParameters.ts, clusterFloorCoarse, minSpecksCoarse, minComponentsCoarse).
 * Film digitised finer than that (Conversion Type DF, such as the NEMA MG1 film at 0.05 mm) gets the
 * digital reducer without its speck-stage blend, at the reducer's own floor: the stage learnt
 * digital detectors' images only and scores the film's sharp dust dots as specks (models/HISTORY.md,
 * "0.3.21"). */
export function clusterReducerFor(
  filters: ClusterFilters,
  params: Pick<DetectionParameters, 'coarseSpacingMm' | 'clusterFloor' | 'clusterFloorCoarse' | 'minSpecks' | 'minSpecksCoarse' | 'minComponents' | 'minComponentsCoarse'>,
  image: { originalSpacingMm: readonly [number, number]; header?: { conversionType?: string } },
): ClusterReducer {
  const rule = candidateRuleFor(params, image);
  if (hasCoarsePixels(params, image)) return { model: filters.coarse, floor: params.clusterFloorCoarse, ...rule };
  if (filters.fine.stage && image.header?.conversionType === 'DF') {
    const alone = reducerAlone(filters.fine);
    return { model: alone, floor: clusterFilterFloor(alone), ...rule };
  }
  return { model: filters.fine, floor: params.clusterFloor, ...rule };
}

/** The speck certainties: one for digital images, one for coarse ones, where the heatmap peak says
 * far less (models/HISTORY.md, "0.3.16"). */
export interface SpeckCertainties {
  fine: SpeckCertaintyModelFile;
  coarse: SpeckCertaintyModelFile;
}

/** The speck certainty for an image, by the reducers' rule. */
export function speckCertaintyFor(
  models: SpeckCertainties,
  params: Pick<DetectionParameters, 'coarseSpacingMm'>,
  image: { originalSpacingMm: readonly [number, number] },
): SpeckCertaintyModelFile {
  return hasCoarsePixels(params, image) ? models.coarse : models.fine;
}

/** The loaded models for one configuration: the worker pool (ONNX sessions), the cluster
 * false-positive reducers, the classifier and the speck certainty. */
export interface DetectionRuntime {
  pool: DetectorPool;
  clusterFilters: ClusterFilters;
  classifier: ClassifierModelFile;
  speckCertainty: SpeckCertainties;
}

const runtimes = new Map<string, Promise<DetectionRuntime>>();

/**
 * Started once per (model folder, provider, threads, run timeout, workers) and reused by every image, since
 * creating an onnxruntime session costs far more than one inference. Rejects, and forgets the failed
 * attempt, when the execution provider cannot start; rejects too when the detector lacks an output
 * the post-processing settings `params` need.
 */
export async function getDetectionRuntime(
  config: Pick<Config, 'inference' | 'worker'>,
  params: DetectionParameters = detectionParametersFor(config),
): Promise<DetectionRuntime> {
  const runtime = await sharedRuntime(config);
  const missing = missingDetectorOutput(params, runtime.pool.outputNames, path.resolve(config.inference.modelDir, DETECTOR_MODEL_FILE));
  if (missing) throw new Error(missing);
  return runtime;
}

function sharedRuntime(config: Pick<Config, 'inference' | 'worker'>): Promise<DetectionRuntime> {
  const { modelDir, executionProvider, threads, runTimeoutSeconds } = config.inference;
  const key = JSON.stringify([path.resolve(modelDir), executionProvider, threads, runTimeoutSeconds, config.worker.concurrency]);
  const existing = runtimes.get(key);
  if (existing) {
    // A pool whose workers all died is replaced on the next image rather than failing every image.
    return existing.then((r) => {
      if (r.pool.healthy) return r;
      if (runtimes.get(key) === existing) runtimes.delete(key);
      return sharedRuntime(config);
    });
  }
  const runtime = (async () => {
    const classifier = loadClassifierModel(path.join(modelDir, CLASSIFIER_MODEL_FILE));
    const speckCertainty: SpeckCertainties = {
      fine: loadSpeckCertaintyModel(path.join(modelDir, SPECK_CERTAINTY_MODEL_FILE)),
      coarse: loadSpeckCertaintyModel(path.join(modelDir, SPECK_CERTAINTY_COARSE_MODEL_FILE)),
    };
    const clusterFilters: ClusterFilters = {
      fine: loadClusterFilterModel(path.join(modelDir, CLUSTER_FILTER_MODEL_FILE)),
      coarse: loadClusterFilterModel(path.join(modelDir, CLUSTER_FILTER_COARSE_MODEL_FILE)),
    };
    checkStageReaders(clusterFilters, speckCertainty);
    const regionModels: RegionModelPaths = {};
    if (classifier.region) regionModels.malignancy = path.resolve(modelDir, classifier.region.file);
    const presence = presenceModelPath(modelDir, clusterFilters);
    if (presence) regionModels.presence = presence;
    const speckStage = speckStageModelPath(modelDir, speckCertainty);
    const pool = await startDetectorPool(config.inference, config.worker.concurrency, regionModels, speckStage);
    return { pool, clusterFilters, classifier, speckCertainty };
  })();
  runtimes.set(key, runtime);
  runtime.catch(() => runtimes.delete(key));
  return runtime;
}

/** The one ONNX file that a pair of model files (digital, coarse) names, if any: the worker runs one
 * per role, so two different names are a start-up error. */
function oneNamedModel(modelDir: string, names: (string | undefined)[], what: string): string | undefined {
  const files = [...new Set(names.flatMap((n) => (n ? [path.resolve(modelDir, n)] : [])))];
  if (files.length > 1) throw new Error(`the ${what} in ${modelDir} name different files (${files.join(', ')}); the inference worker runs one`);
  return files[0];
}

/** The presence CNN the reducers name. */
function presenceModelPath(modelDir: string, filters: ClusterFilters): string | undefined {
  return oneNamedModel(modelDir, [filters.fine.region?.file, filters.coarse.region?.file], 'cluster filters');
}

/** A reducer that blends in the speck stage needs the stage run on its images' specks, which the
 * worker does where the same kind of image's certainty reads it. */
function checkStageReaders(filters: ClusterFilters, certainties: SpeckCertainties): void {
  for (const kind of ['fine', 'coarse'] as const)
    if (filters[kind].stage && !certainties[kind].stage)
      throw new Error(`the ${kind === 'fine' ? 'digital' : 'film'} cluster reducer blends in the speck stage, but its speck certainty names none, so no stage would run`);
}

/** The speck stage the certainties read. */
function speckStageModelPath(modelDir: string, certainties: SpeckCertainties): string | undefined {
  return oneNamedModel(modelDir, [certainties.fine.stage?.file, certainties.coarse.stage?.file], 'speck certainties');
}

/**
 * A started worker pool of `size` workers running the configured detector (model folder, provider,
 * threads), the cluster-region CNNs and the speck stage given.
 */
export async function startDetectorPool(
  inference: Pick<Config['inference'], 'modelDir' | 'executionProvider' | 'threads'> & Partial<Pick<Config['inference'], 'runTimeoutSeconds'>>,
  size: number,
  regionModels: RegionModelPaths = {},
  speckStageModel?: string,
): Promise<DetectorPool> {
  const pool = new DetectorPool({
    modelPath: path.resolve(inference.modelDir, DETECTOR_MODEL_FILE),
    executionProvider: inference.executionProvider,
    threads: inference.threads,
    size,
    regionModels,
    ...(speckStageModel ? { speckStageModel } : {}),
    ...(inference.runTimeoutSeconds ? { runTimeoutMs: inference.runTimeoutSeconds * 1000 } : {}),
  });
  await pool.start();
  return pool;
}

/** Stops every worker pool (at shutdown and at the end of tests). */
export async function closeDetectionRuntimes(): Promise<void> {
  const all = [...runtimes.values()];
  runtimes.clear();
  await Promise.all(all.map((r) => r.then((x) => x.pool.close()).catch(() => undefined)));
}
