import type { Config } from '../config/schema';
import type { JobName } from './jobTypes';

/** Retries of one kind of job: the delay doubles from firstDelayMs and stays at maxDelayMs. */
export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** What JobQueue needs to know about retries. */
export interface QueueSettings {
  /** Every job without its own policy: pipeline.attempts, exponential from pipeline.backoffMs. */
  attempts: number;
  backoffMs: number;
  /** Jobs with their own policy: exports, which must outlast a PACS's restart or maintenance window. */
  retries?: Partial<Record<JobName, RetryPolicy>>;
}

/** The BullMQ backoff type of jobs with a RetryPolicy (a custom strategy: BullMQ's own has no cap). */
export const CAPPED_EXPONENTIAL = 'capped-exponential';

/** Delay after the n-th failed attempt (n from 1). */
export function retryDelayMs(attemptsMade: number, policy: Pick<RetryPolicy, 'firstDelayMs' | 'maxDelayMs'>): number {
  return Math.min(policy.firstDelayMs * 2 ** Math.max(0, attemptsMade - 1), policy.maxDelayMs);
}

/** How long a job keeps being retried before it is dead-lettered (the attempts' own time aside). */
export function retryWindowMs(policy: RetryPolicy): number {
  let total = 0;
  for (let n = 1; n < policy.attempts; n++) total += retryDelayMs(n, policy);
  return total;
}

export function queueSettingsFrom(config: Config): QueueSettings {
  const { attempts, firstDelaySeconds, maxDelaySeconds } = config.export.retry;
  return {
    attempts: config.pipeline.attempts,
    backoffMs: config.pipeline.backoffMs,
    // A commitment request waits out a PACS outage like the objects it follows.
    retries: Object.fromEntries(
      (['export.store', 'export.commit'] as const).map((name) => [name, { attempts, firstDelayMs: firstDelaySeconds * 1000, maxDelayMs: maxDelaySeconds * 1000 }]),
    ),
  };
}
