import { ReplyError } from 'ioredis';
import { logger } from '../log/logger';
import { workerPausesTotal } from '../metrics/metrics';

/** The part of a BullMQ Worker this needs; pause(true) stops fetching without waiting for running jobs. */
export interface PausableWorker {
  pause(doNotWaitActive?: boolean): Promise<void>;
  resume(): void;
}

export interface BackoffTiming {
  firstPauseMs: number;
  maxPauseMs: number;
  now: () => number;
}

const DEFAULT_TIMING: BackoffTiming = { firstPauseMs: 1000, maxPauseMs: 60_000, now: Date.now };

/**
 * Keeps a worker from spinning while Redis answers but refuses its commands: OOM under noeviction
 * (a full Redis), MISCONF (Redis cannot write its append-only file: a full disk), READONLY (a replica
 * after a failover). BullMQ 5 fetches the next job again at once after such a refusal (it waits its
 * runRetryDelay only after other failures), so on a full disk each worker logged thousands of errors a
 * second. This pauses the worker and resumes it after a delay that doubles, up to maxPauseMs, while
 * the refusals go on; a refusal after a quiet maxPauseMs starts again from firstPauseMs. Only Redis's
 * own error replies count: connection errors (refused, reset) are left to ioredis, which already waits
 * between reconnects, and a pause would only delay the recovery; BullMQ's errors about a job's lock
 * are not Redis refusing anything (lostJobLock.ts).
 */
export class RefusedCommandBackoff {
  private pauseMs: number;
  private lastRefusalAt = -Infinity;
  private resumeTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly timing: BackoffTiming;

  constructor(
    private readonly worker: PausableWorker,
    private readonly stage: string,
    timing: Partial<BackoffTiming> = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
    this.pauseMs = this.timing.firstPauseMs;
  }

  get paused(): boolean {
    return this.resumeTimer !== undefined;
  }

  /** Called with every error the worker emits; true when it paused the worker (and logged the error). */
  onError(error: Error): boolean {
    if (this.stopped || this.paused || !(error instanceof ReplyError)) return false;
    const at = this.timing.now();
    if (at - this.lastRefusalAt > this.timing.maxPauseMs) this.pauseMs = this.timing.firstPauseMs;
    this.lastRefusalAt = at;
    const pauseMs = this.pauseMs;
    this.pauseMs = Math.min(2 * pauseMs, this.timing.maxPauseMs);
    logger.warn('worker paused: redis refused a command', { stage: this.stage, error: error.message, resumeInMs: pauseMs });
    workerPausesTotal.inc({ stage: this.stage });
    void this.worker.pause(true).catch(() => undefined);
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = undefined;
      if (this.stopped) return;
      logger.info('worker resumed', { stage: this.stage });
      this.worker.resume();
    }, pauseMs);
    this.resumeTimer.unref();
    return true;
  }

  /** Before the worker closes: a pending resume must not start it again. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
  }
}
