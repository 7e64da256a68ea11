import { ReplyError } from 'ioredis';
import { logger } from '../../../src/log/logger';
import { workerPausesTotal } from '../../../src/metrics/metrics';
import { RefusedCommandBackoff } from '../../../src/queue/refusedCommandBackoff';

/** A worker stand-in that records what the backoff asked of it. */
function fakeWorker() {
  const calls: string[] = [];
  return { calls, pause: async (doNotWaitActive?: boolean) => void calls.push(`pause(${doNotWaitActive})`), resume: () => void calls.push('resume') };
}

const misconf = () => new ReplyError('MISCONF Errors writing to the AOF file: No space left on device');

describe('RefusedCommandBackoff: a worker whose Redis refuses commands pauses instead of spinning', () => {
  let clock = 0;
  let warn: jest.SpyInstance;
  let info: jest.SpyInstance;
  beforeEach(() => {
    jest.useFakeTimers();
    clock = 0;
    warn = jest.spyOn(logger, 'warn').mockImplementation(() => logger);
    info = jest.spyOn(logger, 'info').mockImplementation(() => logger);
  });
  afterEach(() => {
    jest.useRealTimers();
    warn.mockRestore();
    info.mockRestore();
  });
  const advance = (ms: number) => {
    clock += ms;
    jest.advanceTimersByTime(ms);
  };

  it('pauses at the first refusal, ignores the rest while paused, resumes after the delay, which doubles to the cap', async () => {
    const worker = fakeWorker();
    const pauses = async () => (await workerPausesTotal.get()).values.find((v) => v.labels.stage === 'instances')?.value ?? 0;
    const pausesBefore = await pauses();
    const backoff = new RefusedCommandBackoff(worker, 'instances', { firstPauseMs: 1000, maxPauseMs: 4000, now: () => clock });
    expect(backoff.onError(misconf())).toBe(true);
    expect(backoff.onError(misconf())).toBe(false);
    // Counted per pause, not per refusal (the MammocadRedisRefusingWrites alert reads it).
    expect((await pauses()) - pausesBefore).toBe(1);
    expect(worker.calls).toEqual(['pause(true)']);
    expect(warn).toHaveBeenCalledWith('worker paused: redis refused a command', {
      stage: 'instances',
      error: 'MISCONF Errors writing to the AOF file: No space left on device',
      resumeInMs: 1000,
    });
    advance(999);
    expect(worker.calls).toEqual(['pause(true)']);
    advance(1);
    expect(worker.calls).toEqual(['pause(true)', 'resume']);
    const delays = [];
    for (let i = 0; i < 4; i++) {
      backoff.onError(misconf());
      delays.push(warn.mock.calls.at(-1)[1].resumeInMs);
      advance(delays.at(-1));
    }
    expect(delays).toEqual([2000, 4000, 4000, 4000]);
    expect(worker.calls.filter((c) => c === 'resume')).toHaveLength(5);
  });

  it('starts again from the first delay once the refusals stopped for a while', () => {
    const worker = fakeWorker();
    const backoff = new RefusedCommandBackoff(worker, 'exports', { firstPauseMs: 1000, maxPauseMs: 4000, now: () => clock });
    backoff.onError(misconf());
    advance(1000);
    backoff.onError(misconf());
    advance(2000);
    advance(10_000);
    backoff.onError(misconf());
    expect(warn.mock.calls.map((c) => c[1].resumeInMs)).toEqual([1000, 2000, 1000]);
  });

  it('leaves connection errors to ioredis reconnecting (no pause, which would only delay the recovery), and pauses only for Redis error replies', () => {
    const worker = fakeWorker();
    const backoff = new RefusedCommandBackoff(worker, 'reports', { now: () => clock });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    expect(backoff.onError(refused)).toBe(false);
    expect(backoff.onError(new Error('Connection is closed.'))).toBe(false);
    // A Redis restarted under the worker: the socket is reset, nothing was refused.
    expect(backoff.onError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(false);
    // BullMQ's word that another worker holds the job now (lostJobLock.ts), not Redis refusing.
    expect(backoff.onError(new Error('Lock mismatch for job study.report-1.2.3. Cmd moveToDelayed from active'))).toBe(false);
    expect(worker.calls).toEqual([]);
  });

  it('once stopped (the worker is closing) a pending resume does not start the worker again', () => {
    const worker = fakeWorker();
    const backoff = new RefusedCommandBackoff(worker, 'instances', { firstPauseMs: 1000, now: () => clock });
    backoff.onError(misconf());
    backoff.stop();
    advance(5000);
    expect(worker.calls).toEqual(['pause(true)']);
    expect(backoff.onError(misconf())).toBe(false);
  });
});
