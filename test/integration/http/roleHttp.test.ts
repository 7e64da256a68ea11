import * as fs from 'fs';
import * as path from 'path';
import { configSchema } from '../../../src/config/schema';
import { serveRoleHttp } from '../../../src/http/roleHttp';
import { freePort } from '../../../src/redis/freePort';
import * as https from 'https';
import * as net from 'net';
import { useRedisDataDir } from '../../helpers/redisDataDir';
import { makeSelfSignedCert } from '../../helpers/selfSignedCert';

describe('serveRoleHttp (what `mammocad receiver|worker|all-in-one` run)', () => {
  const data = useRedisDataDir('rolehttp');

  it('gives a receiver the redis and spool checks (no models), the dashboard and the status page, and stops both', async () => {
    const { dir, redis } = data;
    const port = await freePort();
    const cert = makeSelfSignedCert(dir, 'receiver', 20);
    const config = configSchema.parse({ httpPort: port, dataDir: dir, receiver: { minFreeDiskMb: 1 }, tls: { enabled: true, ...cert } });
    let roleStopped = false;
    const role = await serveRoleHttp('receiver', config, redis.url, { stop: async () => void (roleStopped = true) });
    const base = `http://127.0.0.1:${port}`;
    const ready = (await (await fetch(`${base}/readyz`)).json()) as any;
    expect(ready).toMatchObject({ status: 'ready', failing: [] });
    expect(ready.checks.map((c: { name: string }) => c.name)).toEqual(['redis', 'spool']);
    expect(fs.existsSync(path.join(dir, 'spool'))).toBe(true);
    expect((await fetch(`${base}/queues`)).status).toBe(200);
    expect(await (await fetch(`${base}/`)).text()).toContain('No studies received yet.');
    // The receiver's TLS certificate's end, for the MammocadCertificateExpiring alert.
    const expiry = /^mammocad_tls_certificate_expiry_timestamp_seconds\{certificate="certFile"\} (\S+)$/m.exec(await (await fetch(`${base}/metrics`)).text());
    expect(Math.abs(Number(expiry?.[1]) - (Date.now() / 1000 + 20 * 86400))).toBeLessThan(120);
    await role.stop();
    expect(roleStopped).toBe(true);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('serves HTTPS with the node certificate when http.tls is on, and refuses to start without one', async () => {
    const { dir, redis } = data;
    const port = await freePort();
    const cert = makeSelfSignedCert(dir, 'https', 30);
    const config = configSchema.parse({ httpPort: port, dataDir: dir, receiver: { minFreeDiskMb: 1 }, http: { tls: true }, tls: cert });
    const role = await serveRoleHttp('receiver', config, redis.url, { stop: async () => undefined });
    try {
      const get = (path: string, ca?: Buffer) =>
        new Promise<{ status?: number; body: string }>((resolve, reject) => {
          https
            .get({ host: '127.0.0.1', port, path, ca, servername: 'localhost' }, (res) => {
              let body = '';
              res.on('data', (d) => (body += d));
              res.on('end', () => resolve({ status: res.statusCode, body }));
            })
            .on('error', reject);
        });
      expect(await get('/healthz', fs.readFileSync(cert.certFile))).toMatchObject({ status: 200 });
      expect((await get('/metrics', fs.readFileSync(cert.certFile))).body).toContain('mammocad_ready{check="redis"} 1');
      // A client that does not trust the certificate, and plain HTTP, get nowhere.
      await expect(get('/healthz')).rejects.toThrow(/self-signed certificate/);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      await role.stop();
    }
    const withoutCert = configSchema.parse({ httpPort: port, dataDir: dir, receiver: { minFreeDiskMb: 1 }, http: { tls: true } });
    let stopped = false;
    await expect(serveRoleHttp('receiver', withoutCert, redis.url, { stop: async () => void (stopped = true) })).rejects.toThrow('http.tls needs tls.certFile and tls.keyFile');
    expect(stopped).toBe(true);
  });

  it('answers every endpoint in bounded time while Redis does not answer (stopped with SIGSTOP)', async () => {
    const { dir, redis } = data;
    const port = await freePort();
    const config = configSchema.parse({ httpPort: port, dataDir: dir, receiver: { minFreeDiskMb: 1 } });
    const role = await serveRoleHttp('receiver', config, redis.url, { stop: async () => undefined });
    const base = `http://127.0.0.1:${port}`;
    await fetch(`${base}/`); // connections established
    process.kill(redis.pid, 'SIGSTOP');
    try {
      const timed = async (p: string) => {
        const started = Date.now();
        const res = await fetch(`${base}${p}`, { signal: AbortSignal.timeout(15000) });
        return { status: res.status, body: await res.text(), ms: Date.now() - started };
      };
      const page = await timed('/');
      expect(page.status).toBe(503);
      expect(page.body).toContain('reading the study index timed out after 5000 ms');
      const ready = await timed('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.ms).toBeLessThan(4000);
      const metrics = await timed('/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.body).toContain('mammocad_process_cpu_seconds_total');
      // What the MammocadNotReady alert reads: the failing check by name.
      expect(metrics.body).toContain('mammocad_ready{check="redis"} 0');
      expect(metrics.body).toContain('mammocad_ready{check="spool"} 1');
    } finally {
      process.kill(redis.pid, 'SIGCONT');
      await role.stop();
    }
  });

  it('keeps a worker whose models cannot load not ready, and says why', async () => {
    const { dir, redis } = data;
    const port = await freePort();
    const config = configSchema.parse({
      httpPort: port,
      dataDir: dir,
      receiver: { minFreeDiskMb: 1 },
      inference: { modelDir: path.join(dir, 'no-models-here') },
    });
    const role = await serveRoleHttp('worker', config, redis.url, { stop: async () => undefined });
    try {
      let body: any;
      for (let i = 0; i < 50; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        body = await res.json();
        expect(res.status).toBe(503);
        if (/could not be loaded/.test(body.checks.find((c: { name: string }) => c.name === 'models')?.detail ?? '')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(body.failing).toEqual(['models']);
      expect(body.checks.find((c: { name: string }) => c.name === 'models').detail).toMatch(/^models could not be loaded: .*no-models-here/);
    } finally {
      await role.stop();
    }
  });

  it('serves thumbnails (the image itself) only behind a token, and never from a receiver', async () => {
    const { dir, redis } = data;
    const thumbnail = '/studies/1.2.3/1.2.3.4/thumbnail.png';
    const cases: [string, 'receiver' | 'worker', string, number, string][] = [
      ['worker without a token', 'worker', '', 404, 'thumbnails need http.token or http.usersFile'],
      ['receiver with a token', 'receiver', 'secret', 404, 'no thumbnails on a receiver'],
      ['worker with a token', 'worker', 'secret', 404, 'unknown image'],
    ];
    for (const [what, roleName, token, status, error] of cases) {
      const port = await freePort();
      // No models to load: a worker role would otherwise start inference threads in the background.
      const inference = { modelDir: path.join(dir, 'no-models-here') };
      const config = configSchema.parse({ httpPort: port, dataDir: dir, receiver: { minFreeDiskMb: 1 }, http: { token }, inference });
      const role = await serveRoleHttp(roleName, config, redis.url, { stop: async () => undefined });
      try {
        const res = await fetch(`http://127.0.0.1:${port}${thumbnail}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
        expect([what, res.status, ((await res.json()) as { error: string }).error]).toEqual([what, status, error]);
      } finally {
        await role.stop();
      }
    }
  });

  it('stops the role and names the variable to set when the HTTP port is taken', async () => {
    const { dir, redis } = data;
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '0.0.0.0', () => resolve((blocker.address() as net.AddressInfo).port)));
    const config = configSchema.parse({ httpPort: port, dataDir: dir });
    let roleStopped = false;
    await expect(serveRoleHttp('receiver', config, redis.url, { stop: async () => void (roleStopped = true) })).rejects.toThrow(
      `HTTP port ${port} is in use: set MAMMOCAD_HTTP_PORT (0: any free port)`,
    );
    expect(roleStopped).toBe(true);
    await new Promise((r) => blocker.close(r));
  });
});
