import { Job, JobsOptions, Queue, Worker, WorkerOptions } from 'bullmq';
import {
  DEAD_LETTER_QUEUE,
  DeadLetter,
  JobName,
  JobPayloads,
  QUEUE_OF_JOB,
  QUEUE_PREFIX,
  STAGES,
  StageName,
} from './jobTypes';
import { pingRedis, redisOptions } from '../redis/connection';
import { logger } from '../log/logger';
import { RepeatedWarning } from '../log/repeatedWarning';
import { RefusedCommandBackoff } from './refusedCommandBackoff';
import { reportLostJobLock } from './lostJobLock';
import { CAPPED_EXPONENTIAL, QueueSettings, retryDelayMs } from './retryPolicy';

export type { QueueSettings } from './retryPolicy';

/** `token` is the worker's lock token, needed to re-delay the running job (job.moveToDelayed). */
export type JobHandler<N extends JobName> = (payload: JobPayloads[N], job: Job<JobPayloads[N]>, token?: string) => Promise<unknown>;

/** Stall detection: how soon a job whose worker died is handed to another worker. */
export type StallOptions = Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'>;
export type HandlerMap = { [N in JobName]?: JobHandler<N> };

/** Job ids must be unique per queue and may not contain ':' in BullMQ; UIDs are digits and dots. */
export function jobIdFor(name: JobName, key: string): string {
  return `${name}-${key}`.replace(/:/g, '_');
}

/**
 * The one door to BullMQ: stages are queues, job names map to handlers, retries with exponential
 * backoff and a per-job cap, then a dead-letter entry that keeps the reason.
 */
export class JobQueue {
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly refusalBackoffs: RefusedCommandBackoff[] = [];
  // While Redis is away every queue and worker reports each reconnect attempt: one line a minute is enough.
  private readonly queueErrors = new RepeatedWarning('queue connection error');
  private readonly workerErrors = new RepeatedWarning('worker error');
  /** Dead letters being written; close() waits for them, so a shutdown cannot drop one. */
  private readonly pendingLetters = new Set<Promise<void>>();

  constructor(
    private readonly redisUrl: string,
    private readonly settings: QueueSettings,
  ) {}

  queue(stage: StageName | typeof DEAD_LETTER_QUEUE): Queue {
    let q = this.queues.get(stage);
    if (!q) {
      q = new Queue(stage, { connection: redisOptions(this.redisUrl), prefix: QUEUE_PREFIX });
      q.on('error', (err) => this.queueErrors.warn({ stage, error: err.message }));
      this.queues.set(stage, q);
    }
    return q;
  }

  /** Adds a job; with a jobId already present BullMQ keeps the first one (idempotent enqueue). */
  async add<N extends JobName>(name: N, payload: JobPayloads[N], opts: JobsOptions & { jobId: string }): Promise<Job> {
    const retry = this.settings.retries?.[name];
    return this.queue(QUEUE_OF_JOB[name]).add(name, payload, {
      attempts: retry?.attempts ?? this.settings.attempts,
      backoff: retry ? { type: CAPPED_EXPONENTIAL, delay: retry.firstDelayMs } : { type: 'exponential', delay: this.settings.backoffMs },
      // Completed jobs are kept (bounded) so a re-sent image finds its job and is not queued twice.
      removeOnComplete: { count: 100000 },
      removeOnFail: { count: 100000 },
      ...opts,
    });
  }

  async getJob(name: JobName, jobId: string): Promise<Job | undefined> {
    return this.queue(QUEUE_OF_JOB[name]).getJob(jobId);
  }

  /** Starts a worker for every stage that has a handler. */
  process(handlers: HandlerMap, concurrency: Partial<Record<StageName, number>> = {}, stall: StallOptions = {}): void {
    // Connected now, not at the first failure: a letter written during shutdown must not race its own connection.
    this.queue(DEAD_LETTER_QUEUE);
    for (const stage of STAGES) {
      const names = (Object.keys(handlers) as JobName[]).filter((n) => QUEUE_OF_JOB[n] === stage);
      if (names.length === 0) continue;
      const worker = new Worker(
        stage,
        async (job: Job, token?: string) => {
          const handler = handlers[job.name as JobName] as JobHandler<JobName> | undefined;
          if (!handler) throw new Error(`no handler for job name "${job.name}" in stage ${stage}`);
          return handler(job.data, job, token);
        },
        {
          connection: redisOptions(this.redisUrl),
          prefix: QUEUE_PREFIX,
          concurrency: concurrency[stage] ?? 1,
          settings: { backoffStrategy: (attemptsMade, _type, _err, job) => this.cappedDelay(attemptsMade, job) },
          ...stall,
        },
      );
      worker.on('failed', (job, err) => this.track(this.onFailed(stage, job, err)));
      const refusals = new RefusedCommandBackoff(worker, stage);
      worker.on('error', (err) => {
        if (!reportLostJobLock(err, stage) && !refusals.onError(err)) this.workerErrors.warn({ stage, error: err.message });
      });
      this.workers.push(worker);
      this.refusalBackoffs.push(refusals);
    }
  }

  /**
   * The delay of a capped-exponential job: its policy in this process's settings; a job queued by a
   * process with another policy still doubles from its own first delay.
   */
  private cappedDelay(attemptsMade: number, job?: { name: string; opts: JobsOptions }): number {
    const firstDelayMs = Number((job?.opts.backoff as { delay?: number } | undefined)?.delay ?? this.settings.backoffMs);
    const policy = (job && this.settings.retries?.[job.name as JobName]) ?? { firstDelayMs, maxDelayMs: Infinity };
    return retryDelayMs(attemptsMade, policy);
  }

  private track(letter: Promise<void>): void {
    const tracked: Promise<void> = letter
      .catch((error: Error) => {
        logger.error('dead letter could not be written', { error: error.message });
      })
      .finally(() => this.pendingLetters.delete(tracked));
    this.pendingLetters.add(tracked);
  }

  private async onFailed(stage: StageName, job: Job | undefined, err: Error): Promise<void> {
    if (!job) return;
    // BullMQ fails a job without retrying it (UnrecoverableError) when its worker died more often than
    // maxStalledCount allows: that is final whatever attemptsMade says.
    const final = err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    logger.warn('job failed', { stage, job: job.name, jobId: job.id, attempt: job.attemptsMade, final, reason: err.message });
    if (!final) return;
    const letter: DeadLetter = {
      stage,
      jobName: job.name as JobName,
      jobId: String(job.id),
      payload: job.data,
      reason: err.message,
      attemptsMade: job.attemptsMade,
      failedAt: new Date().toISOString(),
    };
    await this.queue(DEAD_LETTER_QUEUE).add('dead-letter', letter, {
      jobId: `${stage}-${job.id}-${job.attemptsMade}-${Date.now()}`,
      removeOnComplete: false,
    });
  }

  /**
   * Lets running jobs finish, then disconnects. BullMQ's graceful Worker.close() never returns while
   * Redis is unreachable (and cannot be forced once begun), so with Redis down the workers are closed
   * by force, and a graceful close still waiting after `graceMs` is left behind. No job is lost
   * either way: another worker takes it once its lock lapses (pipeline.stalledSeconds).
   */
  async close(graceMs = 30000): Promise<void> {
    for (const refusals of this.refusalBackoffs) refusals.stop();
    const force = this.workers.length > 0 && !(await pingRedis(this.redisUrl, 1000).then((p) => p === 'PONG', () => false));
    if (force) logger.warn('Redis unreachable at shutdown: closing the queue workers by force');
    const workersClosed = Promise.all(this.workers.map((w) => w.close(force)));
    if (!(await settlesWithin(workersClosed, graceMs))) logger.warn('queue workers did not stop in time', { graceMs });
    // Dead letters being written, then the queues' own connections (their QUIT): both wait on Redis,
    // so a Redis that does not answer (stopped, swapping) gets a bounded wait and is then cut off.
    const queues = [...this.queues.values()];
    const queuesClosed = (async () => {
      await Promise.all(this.pendingLetters);
      // BullMQ drops a queue's listeners when it closes, so a connection still starting then fails with
      // an unhandled 'error' (a role stopped right after it started): let each start first, briefly.
      await Promise.all(queues.map((q) => Promise.race([q.waitUntilReady().catch(() => undefined), delay(1000)])));
      await Promise.all(queues.map((q) => q.close()));
    })();
    if (!(await settlesWithin(queuesClosed, force ? 3000 : graceMs))) {
      logger.warn('queue connections did not close in time: cut off');
      await Promise.all(queues.map((q) => q.disconnect().catch(() => undefined)));
    }
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
const settlesWithin = (work: Promise<unknown>, ms: number): Promise<boolean> =>
  Promise.race([work.then(() => true), delay(ms).then(() => false)]);
