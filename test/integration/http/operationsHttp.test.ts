import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startEmbeddedRedis, EmbeddedRedis } from '../../../src/redis/embeddedRedis';
import { JobQueue } from '../../../src/queue/jobQueue';
import { DEAD_LETTER_QUEUE } from '../../../src/queue/jobTypes';
import { configSchema } from '../../../src/config/schema';
import { startOperationsHttp } from '../../../src/http/operationsHttp';
import { RunningHttpServer } from '../../../src/http/httpServer';

const TOKEN = 's3cret-token';
const bearer = { Authorization: `Bearer ${TOKEN}` };

describe('operations HTTP server (real Redis, real BullMQ queues)', () => {
  let dir: string;
  let redis: EmbeddedRedis;
  let jobs: JobQueue;
  let server: RunningHttpServer;
  let modelsLoaded = true;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-http-'));
    redis = await startEmbeddedRedis(path.join(dir, 'redis'));
    jobs = new JobQueue(redis.url, { attempts: 1, backoffMs: 10 });
    const config = configSchema.parse({ httpPort: 0, http: { token: TOKEN }, receiver: { minFreeDiskMb: 1 } });
    // Two waiting analyses (one created 30 s ago), one delayed report, one dead letter.
    const now = Date.now();
    await jobs.add('instance.analyse', instancePayload('1.2.3.1'), { jobId: 'a1', timestamp: now - 30_000 });
    await jobs.add('instance.analyse', instancePayload('1.2.3.2'), { jobId: 'a2' });
    await jobs.add('study.report', { studyUid: '1.2.3' }, { jobId: 'r1', delay: 60_000 });
    await jobs.queue(DEAD_LETTER_QUEUE).add('dead-letter', { reason: 'test' }, { jobId: 'd1' });
    server = await startOperationsHttp({
      config,
      redisUrl: redis.url,
      spoolDir: path.join(dir, 'spool'),
      modelsLoaded: () => modelsLoaded,
      queueOf: (stage) => jobs.queue(stage),
      host: '127.0.0.1',
    });
  });

  afterAll(async () => {
    await server?.close();
    await jobs?.close();
    await redis?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers /healthz without credentials', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect((await res.json()) as any).toMatchObject({ status: 'alive' });
  });

  it('refuses everything else without the token, and accepts Bearer and Basic', async () => {
    for (const p of ['/readyz', '/metrics', '/', '/queues']) {
      const res = await fetch(`${server.url}${p}`);
      expect({ p, status: res.status }).toEqual({ p, status: 401 });
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="mammocad"/);
    }
    expect((await fetch(`${server.url}/readyz`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${server.url}/readyz`, { headers: bearer })).status).toBe(200);
    const basic = `Basic ${Buffer.from(`operator:${TOKEN}`).toString('base64')}`;
    expect((await fetch(`${server.url}/readyz`, { headers: { Authorization: basic } })).status).toBe(200);
  });

  it('reports ready with every check named, and names the failing check with a 503', async () => {
    const ok = await fetch(`${server.url}/readyz`, { headers: bearer });
    const body = (await ok.json()) as any;
    expect(body.status).toBe('ready');
    expect(body.checks.map((c: { name: string }) => c.name)).toEqual(['redis', 'models', 'spool']);
    expect(body.checks.find((c: { name: string }) => c.name === 'spool').detail).toMatch(/MB free/);

    modelsLoaded = false;
    const notReady = await fetch(`${server.url}/readyz`, { headers: bearer });
    expect(notReady.status).toBe(503);
    const failed = (await notReady.json()) as any;
    expect(failed).toMatchObject({ status: 'not ready', ready: false, failing: ['models'] });
    expect(failed.checks.find((c: { name: string }) => c.name === 'models')).toMatchObject({ ok: false, detail: 'models not loaded yet' });
    modelsLoaded = true;
  });

  it('serves Prometheus metrics with queue depths, the oldest waiting age and the dead letters', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: bearer });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^mammocad_queue_depth\{stage="instances",state="waiting"\} 2$/m);
    expect(text).toMatch(/^mammocad_queue_depth\{stage="reports",state="delayed"\} 1$/m);
    expect(text).toMatch(/^mammocad_queue_depth\{stage="exports",state="waiting"\} 0$/m);
    expect(text).toMatch(/^mammocad_dead_letters 1$/m);
    const age = Number(/^mammocad_queue_oldest_waiting_age_seconds\{stage="instances"\} ([\d.]+)$/m.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(29);
    expect(age).toBeLessThan(120);
    expect(text).toMatch(/^mammocad_queue_oldest_waiting_age_seconds\{stage="reports"\} 0$/m);
    expect(text).toMatch(/^mammocad_process_cpu_user_seconds_total /m);
  });

  it('serves a read-only queue dashboard listing every stage and the dead letters', async () => {
    const page = await fetch(`${server.url}/queues`, { headers: bearer });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const api = await fetch(`${server.url}/queues/api/queues?activeQueue=instances&status=waiting&page=1`, { headers: bearer });
    expect(api.status).toBe(200);
    const { queues } = (await api.json()) as any;
    const names = queues.map((q: { name: string }) => q.name).sort();
    expect(names).toEqual(['dead-letters', 'exports', 'instances', 'reports']);
    expect(queues.every((q: { readOnlyMode: boolean }) => q.readOnlyMode)).toBe(true);
    const instances = queues.find((q: { name: string }) => q.name === 'instances');
    expect(instances.counts.waiting).toBe(2);

    const clean = await fetch(`${server.url}/queues/api/queues/instances/clean/waiting`, { method: 'PUT', headers: bearer });
    expect(clean.status).toBe(405);
    expect(await jobs.queue('instances').getWaitingCount()).toBe(2);
  });

  it('shows an empty status page when no study index is wired', async () => {
    const res = await fetch(`${server.url}/`, { headers: bearer });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('No studies received yet.');
    expect(html).toContain('href="/queues"');
  });

  it('names redis as the failing check once Redis is gone, and /metrics still answers', async () => {
    await redis.stop();
    const res = await fetch(`${server.url}/readyz`, { headers: bearer });
    expect(res.status).toBe(503);
    const body = (await res.json()) as any;
    expect(body.failing).toEqual(['redis']);
    expect(body.checks[0].detail).toMatch(/not reachable/);
    const metrics = await fetch(`${server.url}/metrics`, { headers: bearer });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/mammocad_process_cpu_user_seconds_total/);
    // Back on the same port: the BullMQ connections reconnect, so the queues close cleanly.
    redis = await startEmbeddedRedis(path.join(dir, 'redis'), { port: redis.port });
    expect((await fetch(`${server.url}/readyz`, { headers: bearer })).status).toBe(200);
  });
});

function instancePayload(sop: string) {
  return { studyUid: '1.2.3', seriesUid: '1.2.3.9', sopInstanceUid: sop, sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2', path: `/spool/${sop}.dcm` };
}
