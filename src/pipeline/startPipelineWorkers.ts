import type { JobQueue } from '../queue/jobQueue';
import type { PipelineContext } from './pipelineContext';
import { pipelineHandlers } from './pipelineHandlers';

/** Exports are I/O bound: a few in parallel keep several destinations moving. */
const EXPORT_CONCURRENCY = 4;

/**
 * Starts this process's workers for all three stages on the shared queue. Analysis concurrency is
 * worker.concurrency; a job whose worker dies is picked up by another after pipeline.stalledSeconds.
 */
export function startPipelineWorkers(ctx: PipelineContext, queue: JobQueue = ctx.queue): void {
  const stalledMs = ctx.config.pipeline.stalledSeconds * 1000;
  queue.process(
    pipelineHandlers(ctx),
    { instances: ctx.config.worker.concurrency, reports: 1, exports: EXPORT_CONCURRENCY },
    { lockDuration: stalledMs, stalledInterval: stalledMs, maxStalledCount: 1 },
  );
}
