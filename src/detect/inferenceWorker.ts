/**
 * Worker thread that owns one onnxruntime session (created once, reused for every image) and turns a
 * working-grid image into detected specks. Running here keeps session.run(), which blocks its thread,
 * and the per-pixel post-processing off the main event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { extractSpecks } from './extractSpecks';
import { inferHeatmap } from './heatmapInference';
import type { DetectRequest, WorkerInit, WorkerReply } from './workerProtocol';
import { providerStartupHint } from './executionProvider';

const init = workerData as WorkerInit;

async function main(): Promise<void> {
  if (!parentPort) throw new Error('inferenceWorker must run as a worker thread');
  const port = parentPort;
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(init.modelPath, {
      executionProviders: [init.executionProvider],
      // onnxruntime-node rejects an undefined thread count: leave the key out for its default.
      ...(init.threads > 0 ? { intraOpNumThreads: init.threads } : {}),
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
  } catch (error) {
    const reply: WorkerReply = {
      kind: 'initFailed',
      error: `cannot start the "${init.executionProvider}" execution provider for ${init.modelPath}: ${(error as Error).message}; ${providerStartupHint(init.executionProvider)}`,
    };
    port.postMessage(reply);
    return;
  }
  port.postMessage({ kind: 'ready', inputNames: session.inputNames, outputNames: session.outputNames } satisfies WorkerReply);

  port.on('message', (request: DetectRequest) => {
    void handle(session, request).then(
      (reply) =>
        port.postMessage(
          reply,
          reply.kind === 'detected' ? [reply.heatmap, reply.centres].filter((m) => m !== undefined).map((m) => m.buffer as ArrayBuffer) : [],
        ),
      (error: unknown) => port.postMessage({ kind: 'failed', id: request.id, error: (error as Error).message } satisfies WorkerReply),
    );
  });
}

async function handle(session: ort.InferenceSession, r: DetectRequest): Promise<WorkerReply> {
  const started = performance.now();
  const { heatmap, centres, tiles } = await inferHeatmap(ort, session, r, r.heatmapOptions);
  const inferMs = performance.now() - started;
  const specks = extractSpecks(heatmap, r.pixels, r.mask, r.width, r.height, r.speckOptions, centres);
  return {
    kind: 'detected',
    id: r.id,
    specks,
    tiles,
    inferMs,
    postMs: performance.now() - started - inferMs,
    heatmap: r.returnHeatmap ? heatmap : undefined,
    centres: r.returnHeatmap && centres ? centres.render() : undefined,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

void main();
