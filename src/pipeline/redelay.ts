import { DelayedError, Job } from 'bullmq';

/**
 * Puts the running job back to sleep for `ms` without counting an attempt (BullMQ's documented
 * pattern: moveToDelayed with the lock token, then throw DelayedError).
 */
export async function redelay(job: Job, token: string | undefined, ms: number): Promise<never> {
  await job.moveToDelayed(Date.now() + Math.max(1, Math.round(ms)), token);
  throw new DelayedError();
}
