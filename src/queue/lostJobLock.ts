import { logger } from '../log/logger';

/**
 * BullMQ's errors for a job whose lock this worker no longer holds: renewing it failed ("could not
 * renew lock for job …"), or finishing or delaying it found the lock gone ("Missing lock for job …")
 * or held by the worker the job was handed to ("Lock mismatch for job …").
 * Redis answered each time: the lock lapsed because this process, or Redis, was held up longer than
 * the lock lasts (pipeline.stalledSeconds: a machine swapping or starved of CPU, a paused VM, a long
 * synchronous step), or Redis lost the key (restarted from an older file). BullMQ hands such a job to
 * another worker, so nothing is lost; it is not Redis refusing writes.
 */
const LOST_LOCK = /^(?:could not renew lock for job (\S+)$|(?:Missing lock|Lock mismatch) for job (\S+)\. )/;

/** Logs a lost job lock and returns true; false for any other error. */
export function reportLostJobLock(error: Error, stage: string): boolean {
  const match = LOST_LOCK.exec(error.message);
  if (!match) return false;
  logger.warn('job lock lost: the worker or Redis was held up longer than pipeline.stalledSeconds', {
    stage,
    jobId: match[1] ?? match[2],
    hint: 'another worker takes the job; look for swapping, CPU starvation or a paused VM on this machine or on the Redis server',
  });
  return true;
}
