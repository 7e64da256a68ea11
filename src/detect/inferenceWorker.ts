/**
 * Worker thread that owns one onnxruntime session (created once, reused for every image) and turns a
 * working-grid image into detected specks; with cluster-region CNNs configured, one more session each
 * scores cluster regions, and with a speck stage one more scores each speck's crop (the heatmap it
 * reads stays here). Running here keeps session.run(), which blocks its thread, and the
 * per-pixel post-processing off the main event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { extractSpecks, type SpeckExtractionOptions } from './extractSpecks';
import { belowThreshold } from './joinerSpecks';
import { scoreSpecksWithStage } from './speckStage';
import { inferHeatmap } from './heatmapInference';
import type { DetectRequest, ScoreRegionsRequest, WorkerInit, WorkerReply, WorkerRequest } from './workerProtocol';
import { providerStartupHint } from './executionProvider';
import { inferenceSessionOptions } from './sessionOptions';

const init = workerData as WorkerInit;

async function main(): Promise<void> {
  if (!parentPort) throw new Error('inferenceWorker must run as a worker thread');
  const port = parentPort;
  let session: ort.InferenceSession;
  const regionSessions = new Map<string, ort.InferenceSession>();
  let stageSession: ort.InferenceSession | undefined;
  try {
    session = await createSession(init.modelPath);
    for (const [name, file] of Object.entries(init.regionModels ?? {})) regionSessions.set(name, await createSession(file));
    if (init.speckStageModel) stageSession = await createSession(init.speckStageModel);
  } catch (error) {
    port.postMessage({ kind: 'initFailed', error: (error as Error).message } satisfies WorkerReply);
    return;
  }
  port.postMessage({ kind: 'ready', inputNames: session.inputNames, outputNames: session.outputNames } satisfies WorkerReply);

  port.on('message', (request: WorkerRequest) => {
    const work = request.kind === 'detect' ? detect(session, stageSession, request) : scoreRegions(regionSessions.get(request.model), request);
    void work.then(
      (reply) =>
        port.postMessage(
          reply,
          reply.kind === 'detected' ? [reply.heatmap, reply.centres].filter((m) => m !== undefined).map((m) => m.buffer as ArrayBuffer) : [],
        ),
      (error: unknown) => port.postMessage({ kind: 'failed', id: request.id, error: (error as Error).message } satisfies WorkerReply),
    );
  });
}

async function createSession(modelPath: string): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(modelPath, inferenceSessionOptions(init.executionProvider, init.threads));
  } catch (error) {
    throw new Error(
      `cannot start the "${init.executionProvider}" execution provider for ${modelPath}: ${(error as Error).message}; ${providerStartupHint(init.executionProvider)}`,
    );
  }
}

async function scoreRegions(session: ort.InferenceSession | undefined, r: ScoreRegionsRequest): Promise<WorkerReply> {
  if (!session) throw new Error(`this worker has no ${r.model} cluster-region model`);
  const count = r.patches.length / (r.size * r.size);
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', r.patches, [count, 1, r.size, r.size]) });
  const logits = Float32Array.from(result[session.outputNames[0]].data as Float32Array);
  for (const tensor of Object.values(result)) tensor.dispose();
  return { kind: 'regionsScored', id: r.id, logits };
}

async function detect(session: ort.InferenceSession, stage: ort.InferenceSession | undefined, r: DetectRequest): Promise<WorkerReply> {
  const started = performance.now();
  const { heatmap, centres, tiles } = await inferHeatmap(ort, session, r, r.heatmapOptions);
  const inferMs = performance.now() - started;
  const extract = (options: SpeckExtractionOptions) => extractSpecks(heatmap, r.pixels, r.mask, r.width, r.height, options, centres);
  let specks = extract(r.speckOptions);
  const faintThreshold = r.faintMarkThreshold;
  let faintSpecks = faintThreshold === undefined ? undefined : belowThreshold(extract({ ...r.speckOptions, threshold: faintThreshold, joinThreshold: undefined }), r.speckOptions.threshold);
  if (r.scoreSpecks) {
    if (!stage) throw new Error('this worker was started without a speck stage');
    const source = { pixels: r.pixels, heatmap, width: r.width, height: r.height };
    const scored = await scoreSpecksWithStage(ort, stage, source, [...specks, ...(faintSpecks ?? [])]);
    specks = scored.slice(0, specks.length);
    if (faintSpecks) faintSpecks = scored.slice(specks.length);
  }
  return {
    kind: 'detected',
    id: r.id,
    specks,
    ...(faintSpecks ? { faintSpecks } : {}),
    tiles,
    inferMs,
    postMs: performance.now() - started - inferMs,
    heatmap: r.returnHeatmap ? heatmap : undefined,
    centres: r.returnHeatmap && centres ? centres.render() : undefined,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

void main();
