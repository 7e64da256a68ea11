import type { Worker } from 'node:worker_threads';
import type { RegionModelName, RegionModelPaths } from '../classify/clusterRegion';
import type { ExecutionProviderName } from './executionProvider';
import type { SpeckExtractionOptions } from './extractSpecks';
import { DEFAULT_HEATMAP_OPTIONS, type HeatmapOptions } from './heatmapInference';
import type { DetectionResult, WorkerInit, WorkerReply, WorkerRequest } from './workerProtocol';
import { logger } from '../log/logger';
import { startWorkerThread } from '../runtime/workerThread';

/** A dead worker is replaced, but not without end: an input that kills every worker would loop. */
const REPLACEMENTS_PER_WORKER = 3;
const REPLACEMENT_WINDOW_MS = 10 * 60_000;

export interface DetectorPoolOptions {
  modelPath: string;
  executionProvider: ExecutionProviderName;
  /** onnxruntime intra-op threads per worker; 0 = its default. */
  threads: number;
  /** Worker threads, each with its own session. */
  size: number;
  /** The cluster-region CNNs (scoreRegions) the model files use, ONNX paths by name. */
  regionModels?: RegionModelPaths;
  /** The speck stage's ONNX, where a speck certainty reads it. */
  speckStageModel?: string;
  /** Longest one request may run in a worker before it is given up (see overran()); default DEFAULT_RUN_TIMEOUT_MS. */
  runTimeoutMs?: number;
}

/** A whole 4096 × 3328 image takes about 1.5 s on 2 CPU cores, 25 s on a software GPU driver. */
export const DEFAULT_RUN_TIMEOUT_MS = 120_000;

export type { DetectionResult };

/** A request's promise: resolved with the worker's reply, rejected with an error. */
interface Pending {
  resolve(reply: WorkerReply): void;
  reject(e: Error): void;
}

/**
 * A fixed set of inference worker threads and a queue in front of them. start() resolves once every
 * session exists and rejects with the provider's start-up error otherwise (no silent fallback).
 */
export class DetectorPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { request: WorkerRequest; pending: Pending }[] = [];
  private readonly inFlight = new Map<Worker, { id: number; pending: Pending; deadline: NodeJS.Timeout }>();
  /** Workers given up on inside a run that overran: stopped once the run ends (see overran()). */
  private readonly setAside = new Set<Worker>();
  private nextId = 1;
  private closed = false;
  /** When workers were replaced (within REPLACEMENT_WINDOW_MS). */
  private replacedAt: number[] = [];
  /** The model's outputs, known once start() resolves ('heatmap', and 'centres' with a centre head). */
  outputNames: readonly string[] = [];

  constructor(private readonly options: DetectorPoolOptions) {}

  async start(): Promise<void> {
    const starts = Array.from({ length: Math.max(1, this.options.size) }, () => this.startWorker());
    try {
      await Promise.all(starts);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Starts one worker; it joins the idle ones once its sessions are ready. */
  private startWorker(): Promise<void> {
    const worker = spawnInferenceWorker({
      modelPath: this.options.modelPath,
      executionProvider: this.options.executionProvider,
      threads: this.options.threads,
      ...(this.options.regionModels ? { regionModels: this.options.regionModels } : {}),
      ...(this.options.speckStageModel ? { speckStageModel: this.options.speckStageModel } : {}),
    });
    this.workers.push(worker);
    return new Promise<void>((resolve, reject) => {
      const failed = (error: Error) => {
        worker.off('message', onFirst);
        const at = this.workers.indexOf(worker);
        if (at >= 0) this.workers.splice(at, 1);
        void worker.terminate();
        reject(error);
      };
      const onFirst = (reply: WorkerReply) => {
        if (reply.kind === 'initFailed') return failed(new Error(reply.error));
        if (reply.kind !== 'ready') return;
        worker.off('error', failed);
        worker.off('message', onFirst);
        this.outputNames = reply.outputNames;
        worker.on('message', (r: WorkerReply) => this.onReply(worker, r));
        worker.on('error', (error) => this.onWorkerGone(worker, `crashed: ${error.message}`));
        worker.on('exit', (code) => this.onWorkerGone(worker, `exited with code ${code}`));
        if (this.closed) return resolve();
        this.idle.push(worker);
        this.pump();
        resolve();
      };
      worker.on('message', onFirst);
      worker.once('error', failed);
    });
  }

  /** Copies pixels and mask into the request (the caller keeps its image). */
  detect(
    image: { pixels: Float32Array; width: number; height: number; mask: Uint8Array | null },
    speckOptions: SpeckExtractionOptions,
    extra: { heatmapOptions?: HeatmapOptions; returnHeatmap?: boolean; scoreSpecks?: boolean; faintMarkThreshold?: number } = {},
  ): Promise<DetectionResult> {
    return this.submit({
      kind: 'detect',
      id: this.nextId++,
      pixels: image.pixels,
      mask: image.mask,
      width: image.width,
      height: image.height,
      heatmapOptions: extra.heatmapOptions ?? DEFAULT_HEATMAP_OPTIONS,
      speckOptions,
      returnHeatmap: extra.returnHeatmap ?? false,
      scoreSpecks: extra.scoreSpecks ?? false,
      ...(extra.faintMarkThreshold === undefined ? {} : { faintMarkThreshold: extra.faintMarkThreshold }),
    }).then((reply) => {
      if (reply.kind !== 'detected') throw new Error(`unexpected worker reply ${reply.kind}`);
      const { specks, faintSpecks, tiles, inferMs, postMs, heatmap, centres, peakRssBytes } = reply;
      return { specks, ...(faintSpecks ? { faintSpecks } : {}), tiles, inferMs, postMs, heatmap, centres, peakRssBytes };
    });
  }

  /** The `model` cluster-region CNN's logit for each of `count` patches (count × size × size). */
  scoreRegions(model: RegionModelName, patches: Float32Array, size: number): Promise<Float32Array> {
    if (!this.options.regionModels?.[model]) return Promise.reject(new Error(`this pool was started without a ${model} cluster-region model`));
    return this.submit({ kind: 'scoreRegions', id: this.nextId++, model, patches, size }).then((reply) => {
      if (reply.kind !== 'regionsScored') throw new Error(`unexpected worker reply ${reply.kind}`);
      return reply.logits;
    });
  }

  private submit(request: WorkerRequest): Promise<WorkerReply> {
    if (!this.healthy) return Promise.reject(new Error('detector pool is closed or has no live worker'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request, pending: { resolve, reject } });
      this.pump();
    });
  }

  /**
   * Rejects what is queued or running, then stops the workers. A worker inside session.run is let
   * finish that run first (up to CLOSE_WAIT_MS): terminating a thread while onnxruntime-node runs
   * aborts the whole process.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const { pending } of this.queue.splice(0)) pending.reject(new Error('detector pool is closed'));
    const busy = [...this.inFlight.keys()];
    for (const [, job] of this.inFlight) {
      clearTimeout(job.deadline);
      job.pending.reject(new Error('detector pool is closed'));
    }
    this.inFlight.clear();
    // A set-aside worker may never come back: it must not keep the process alive, and cannot be terminated.
    for (const worker of this.setAside) worker.unref();
    await Promise.all(busy.map(untilReplyOrExit));
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
    this.idle.length = 0;
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.shift() as Worker;
      const { request, pending } = this.queue.shift() as { request: WorkerRequest; pending: Pending };
      const timeoutMs = this.options.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
      const deadline = setTimeout(() => this.overran(worker, timeoutMs), timeoutMs);
      this.inFlight.set(worker, { id: request.id, pending, deadline });
      worker.postMessage(request);
    }
  }

  private onReply(worker: Worker, reply: WorkerReply): void {
    if (this.setAside.delete(worker)) {
      // Its overrunning run has ended, so the thread is out of onnxruntime and can be stopped.
      void worker.terminate();
      return;
    }
    const job = this.inFlight.get(worker);
    if (!job || !('id' in reply) || reply.id !== job.id) return;
    clearTimeout(job.deadline);
    this.inFlight.delete(worker);
    this.idle.push(worker);
    if (reply.kind === 'failed') job.pending.reject(new Error(`inference failed: ${reply.error}`));
    else job.pending.resolve(reply);
    this.pump();
  }

  /** Workers started and not dead (a replacement counts from its start). */
  get liveWorkers(): number {
    return this.workers.length;
  }

  /** False once every worker has died (out of memory, a native crash): the owner should start a new pool. */
  get healthy(): boolean {
    return !this.closed && this.workers.length > 0;
  }

  /**
   * A dead worker (out of memory, a native crash) leaves the pool: its request is rejected (its job
   * is retried), the others carry on, and a new worker takes its place, within a limit.
   */
  private onWorkerGone(worker: Worker, why: string): void {
    this.setAside.delete(worker);
    if (this.closed || !this.workers.includes(worker)) return;
    this.retire(worker, `inference worker ${why}`);
    logger.warn('inference worker gone', { why, workersLeft: this.workers.length });
  }

  /**
   * A run that takes far longer than any image should (a hung driver, a wedged GPU) would hold its
   * worker for ever. Terminating a thread inside session.run aborts the whole process, so the
   * worker is set aside instead: its caller is told (the job is retried), a new worker takes its
   * place, and the old one is stopped if its run ever ends.
   */
  private overran(worker: Worker, timeoutMs: number): void {
    if (this.closed || !this.inFlight.has(worker)) return;
    this.setAside.add(worker);
    this.retire(worker, `inference did not finish within ${timeoutMs / 1000} s; its worker was set aside`);
    logger.warn('inference run overran its deadline', { timeoutSeconds: timeoutMs / 1000, workersLeft: this.workers.length, setAside: this.setAside.size });
  }

  /** Takes a worker out of service, fails its request with `why` and starts a replacement, within a limit. */
  private retire(worker: Worker, why: string): void {
    this.workers.splice(this.workers.indexOf(worker), 1);
    const idleAt = this.idle.indexOf(worker);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    const job = this.inFlight.get(worker);
    this.inFlight.delete(worker);
    if (job) clearTimeout(job.deadline);
    job?.pending.reject(new Error(why));
    const now = Date.now();
    this.replacedAt = this.replacedAt.filter((t) => now - t < REPLACEMENT_WINDOW_MS);
    if (this.replacedAt.length < REPLACEMENTS_PER_WORKER * Math.max(1, this.options.size)) {
      this.replacedAt.push(now);
      this.startWorker().catch((e: Error) => {
        logger.error('inference worker could not be replaced', { error: e.message });
        if (this.workers.length === 0) this.rejectQueued(`inference worker could not be replaced: ${e.message}`);
      });
    } else {
      logger.error('inference worker not replaced: too many replacements', { withinMinutes: REPLACEMENT_WINDOW_MS / 60_000 });
    }
    if (this.workers.length === 0) this.rejectQueued(why);
  }

  private rejectQueued(why: string): void {
    for (const { pending } of this.queue.splice(0)) pending.reject(new Error(why));
  }
}

/** How long close() waits for a busy worker's run to end: a whole large image, with room. */
const CLOSE_WAIT_MS = 30_000;

function untilReplyOrExit(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, CLOSE_WAIT_MS);
    function done(): void {
      clearTimeout(timer);
      worker.off('message', done);
      worker.off('exit', done);
      resolve();
    }
    worker.once('message', done);
    worker.once('exit', done);
  });
}

function spawnInferenceWorker(init: WorkerInit): Worker {
  return startWorkerThread(__dirname, 'inferenceWorker', init);
}
