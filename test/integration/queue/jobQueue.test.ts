import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { logger } from '../../../src/log/logger';
import { listDeadLetters } from '../../../src/queue/deadLetters';
import { JobQueue } from '../../../src/queue/jobQueue';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../../src/redis/embeddedRedis';
import { connectRedis } from '../../../src/redis/connection';
import { startChildNode } from '../../helpers/childNode';
import { waitFor } from '../../helpers/childProcess';

jest.setTimeout(60000);

const STALL_MS = 1000;
const exportPayload = {
  studyUid: '1.2.3',
  object: 'gsps' as const,
  path: '/spool/x.dcm',
  destination: 'PACS@127.0.0.1:104',
  fingerprint: 'f',
};

describe('JobQueue with a real Redis: dead letters, shutdown, a Redis that refuses writes', () => {
  let dir: string;
  let redis: EmbeddedRedis;
  const queues: JobQueue[] = [];
  const open = (attempts: number) => {
    const q = new JobQueue(redis.url, { attempts, backoffMs: 100 });
    queues.push(q);
    return q;
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-jobqueue-'));
    redis = await startEmbeddedRedis(path.join(dir, 'redis'));
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.close()));
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a job whose worker is killed more often than the stall limit allows is dead-lettered, not silently failed', async () => {
    const queue = open(5);
    await queue.add('export.store', exportPayload, { jobId: 'export.store-stalls' });
    // Two workers in turn take the job and die with it (kill -9): the second death passes maxStalledCount 1.
    for (let death = 0; death < 2; death++) {
      const doomed = await startChildNode(
        'hangingExportWorker.ts',
        { MAMMOCAD_REDIS_URL: redis.url, STALL_MS: String(STALL_MS) },
        /ready/,
      );
      await waitFor('the job taken', () => (/took the job/.test(doomed.log()) ? true : undefined), 20000, 20);
      await doomed.kill('SIGKILL');
    }
    let handlerRuns = 0;
    queue.process(
      { 'export.store': async () => void handlerRuns++ },
      {},
      { lockDuration: STALL_MS, stalledInterval: STALL_MS, maxStalledCount: 1 },
    );
    const letters = await waitFor(
      'a dead letter',
      async () => {
        const l = await listDeadLetters(queue);
        return l.length > 0 ? l : undefined;
      },
      20000,
      100,
    );
    expect(letters).toHaveLength(1);
    expect(letters[0].letter).toMatchObject({
      stage: 'exports',
      jobName: 'export.store',
      jobId: 'export.store-stalls',
      payload: exportPayload,
    });
    expect(letters[0].letter.reason).toMatch(/stalled more than allowable limit/);
    expect(handlerRuns).toBe(0);
    expect(await (await queue.getJob('export.store', 'export.store-stalls'))!.getState()).toBe('failed');
  });

  it('closes within its grace when Redis is gone (BullMQ alone would wait for it forever)', async () => {
    const queue = new JobQueue(redis.url, { attempts: 1, backoffMs: 100 });
    queue.process({ 'export.store': async () => undefined });
    await queue.add('export.store', exportPayload, { jobId: 'export.store-before-outage' });
    await redis.stop();
    const started = Date.now();
    await queue.close(500);
    expect(Date.now() - started).toBeLessThan(10000);
    // A forced worker leaves BullMQ's 6 s wait-for-job timer behind; let it lapse so jest can exit.
    await new Promise((r) => setTimeout(r, 6500));
    redis = await startEmbeddedRedis(path.join(dir, 'redis')); // for afterEach
  });

  it('a job failing its last attempt while the node shuts down still leaves its dead letter', async () => {
    const queue = open(1);
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    queue.process({
      'export.store': async () => {
        started();
        await new Promise((r) => setTimeout(r, 300));
        throw new Error('association rejected by PACS');
      },
    });
    await queue.add('export.store', exportPayload, { jobId: 'export.store-at-shutdown' });
    await running;
    await queue.close(); // as on SIGTERM, with the job still running

    const letters = await listDeadLetters(open(1));
    expect(letters.map((l) => [l.letter.jobId, l.letter.reason])).toEqual([
      ['export.store-at-shutdown', 'association rejected by PACS'],
    ]);
  });

  it('while Redis refuses writes (OOM under noeviction) the worker waits instead of spinning, and runs the job once Redis accepts them', async () => {
    const admin = connectRedis(redis.url);
    const commandsProcessed = async () => Number(/total_commands_processed:(\d+)/.exec(await admin.info('stats'))![1]);
    try {
      const queue = open(1);
      await queue.add('export.store', exportPayload, { jobId: 'export.store-while-full' });
      // Redis "full": every write (BullMQ's moveToActive among them) is refused with OOM.
      await admin.config('SET', 'maxmemory', '1');
      let ran = 0;
      queue.process({ 'export.store': async () => void ran++ });
      await new Promise((r) => setTimeout(r, 500));
      const before = await commandsProcessed();
      await new Promise((r) => setTimeout(r, 3000));
      // BullMQ alone retries the refused fetch at once: about 59 000 commands in these 3 s (7 with the pause).
      expect((await commandsProcessed()) - before).toBeLessThan(200);
      expect(ran).toBe(0);
      await admin.config('SET', 'maxmemory', '0');
      await waitFor('the job run once Redis accepts writes', () => (ran === 1 ? true : undefined), 20000, 50);
    } finally {
      admin.disconnect();
    }
  });

  it('a worker held up past its job lock (a paused VM, a machine swapping) says so, and is not paused as if Redis refused writes', async () => {
    const warn = jest.spyOn(logger, 'warn');
    try {
      const queue = open(3);
      await queue.add('export.store', exportPayload, { jobId: 'export.store-held-up' });
      let runs = 0;
      queue.process(
        {
          'export.store': async () => {
            // The first run holds the event loop three times as long as the lock lasts: nothing renews it.
            if (runs++ === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3 * 500);
          },
        },
        {},
        { lockDuration: 500, stalledInterval: 500, maxStalledCount: 1 },
      );
      await waitFor('the lost lock reported', () => (warn.mock.calls.some(([m]) => String(m).startsWith('job lock lost')) ? true : undefined), 10000, 50);
      expect(warn).toHaveBeenCalledWith('job lock lost: the worker or Redis was held up longer than pipeline.stalledSeconds', expect.objectContaining({ stage: 'exports', jobId: 'export.store-held-up' }));
      await new Promise((r) => setTimeout(r, 1000));
      expect(warn.mock.calls.map(([m]) => m)).not.toContain('worker paused: redis refused a command');
      expect(warn.mock.calls.map(([m]) => m)).not.toContain('worker error');
    } finally {
      warn.mockRestore();
    }
  });

  it('an export follows its own retry policy (doubling delays up to a cap); other jobs keep the pipeline attempts', async () => {
    const queue = new JobQueue(redis.url, {
      attempts: 1,
      backoffMs: 100,
      retries: { 'export.store': { attempts: 5, firstDelayMs: 200, maxDelayMs: 400 } },
    });
    queues.push(queue);
    const attemptsAt: number[] = [];
    let analyses = 0;
    queue.process({
      'export.store': async () => {
        attemptsAt.push(Date.now());
        throw new Error('PACS down');
      },
      'instance.analyse': async () => {
        analyses++;
        throw new Error('undecodable');
      },
    });
    await queue.add('export.store', exportPayload, { jobId: 'export.store-policy' });
    await queue.add('instance.analyse', { studyUid: '1.2', seriesUid: '1.2.3', sopInstanceUid: '1.2.3.4', sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2', path: '/x.dcm' }, { jobId: 'instance.analyse-policy' });
    const letters = await waitFor('two dead letters', async () => {
      const l = await listDeadLetters(queue);
      return l.length === 2 ? l : undefined;
    }, 20000, 50);
    expect(letters.map((l) => [l.letter.jobName, l.letter.attemptsMade]).sort()).toEqual([['export.store', 5], ['instance.analyse', 1]]);
    expect(analyses).toBe(1);
    const gaps = attemptsAt.slice(1).map((t, i) => t - attemptsAt[i]);
    // 200, 400, then capped at 400 (uncapped: 800 and 1600).
    expect(gaps[0]).toBeGreaterThanOrEqual(190);
    expect(gaps[1]).toBeGreaterThanOrEqual(390);
    for (const gap of gaps.slice(2)) expect(gap).toBeLessThan(750);
  });

  it('closes within its grace when Redis accepts connections but never answers (stopped with SIGSTOP, swapping)', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const queue = new JobQueue(`redis://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, { attempts: 1, backoffMs: 100 });
      queue.process({ 'export.store': async () => undefined });
      const started = Date.now();
      await queue.close(500);
      expect(Date.now() - started).toBeLessThan(10000);
    } finally {
      silent.close();
    }
    // A forced worker leaves BullMQ's wait-for-job timer behind; let it lapse so jest can exit.
    await new Promise((r) => setTimeout(r, 6500));
  });

  it('closes within its grace when Redis stops answering mid-way (SIGSTOP): nothing waits for it for ever', async () => {
    const queue = new JobQueue(redis.url, { attempts: 1, backoffMs: 100 });
    queue.process({ 'export.store': async () => undefined });
    await queue.add('export.store', exportPayload, { jobId: 'export.store-before-stop' });
    await new Promise((r) => setTimeout(r, 500)); // connections established and ready
    process.kill(redis.pid, 'SIGSTOP');
    try {
      const started = Date.now();
      await queue.close(2000);
      expect(Date.now() - started).toBeLessThan(12000);
    } finally {
      process.kill(redis.pid, 'SIGCONT');
    }
    await new Promise((r) => setTimeout(r, 6500)); // BullMQ's wait-for-job timer of the forced worker
  });
});
