import type { Queue } from 'bullmq';
import { DEAD_LETTER_QUEUE, STAGES, StageName } from '../queue/jobTypes';
import { deadLettersTotal, queueDepth, queueOldestAgeSeconds } from '../metrics/metrics';

/** Job states reported per stage in mammocad_queue_depth. Completed is history, not depth. */
export const DEPTH_STATES = ['waiting', 'prioritized', 'delayed', 'active', 'failed', 'paused'] as const;

export type QueueOf = (stage: StageName | typeof DEAD_LETTER_QUEUE) => Queue;

/**
 * Reads queue depths, the age of the oldest waiting job per stage and the dead-letter count from
 * BullMQ into the Prometheus gauges. Called on every scrape, so the figures are as fresh as the
 * scrape and no background timer polls Redis.
 */
export async function refreshQueueMetrics(queueOf: QueueOf, now = Date.now()): Promise<void> {
  await Promise.all([
    ...STAGES.map(async (stage) => {
      const queue = queueOf(stage);
      const counts = await queue.getJobCounts(...DEPTH_STATES);
      for (const state of DEPTH_STATES) queueDepth.set({ stage, state }, counts[state] ?? 0);
      queueOldestAgeSeconds.set({ stage }, await oldestWaitingAgeSeconds(queue, now));
    }),
    (async () => {
      const counts = await queueOf(DEAD_LETTER_QUEUE).getJobCounts(...DEPTH_STATES);
      // Nothing consumes dead letters automatically: every one still present counts.
      deadLettersTotal.set(DEPTH_STATES.reduce((sum, s) => sum + (counts[s] ?? 0), 0));
    })(),
  ]);
}

/**
 * Seconds since the oldest job in the waiting lists became runnable (creation time plus any delay,
 * so a debounced study report is not counted as waiting during its settle window). 0 when empty.
 */
async function oldestWaitingAgeSeconds(queue: Queue, now: number): Promise<number> {
  // asc = true: the oldest first (BullMQ pushes new waiting jobs at the head of the list).
  const oldest = await queue.getJobs(['waiting', 'prioritized'], 0, 0, true);
  const runnableSince = oldest
    .filter((job) => job && typeof job.timestamp === 'number')
    .map((job) => job.timestamp + (job.delay ?? 0));
  if (runnableSince.length === 0) return 0;
  return Math.max(0, (now - Math.min(...runnableSince)) / 1000);
}
