import { configSchema } from '../../../src/config/schema';
import { serveRoleHttp } from '../../../src/http/roleHttp';
import { freePort } from '../../../src/redis/freePort';
import { useRedisDataDir } from '../../helpers/redisDataDir';
import { runCli } from '../../helpers/runCli';
import { makeSelfSignedCert } from '../../helpers/selfSignedCert';

jest.setTimeout(60000);

/** `mammocad healthcheck`, the image's HEALTHCHECK, against a role's real HTTP server. */
describe('mammocad healthcheck', () => {
  const data = useRedisDataDir('healthcheck');

  it('passes while the node answers /healthz, over HTTP or HTTPS as configured, and fails with the reason once it is gone', async () => {
    const { dir, redis } = data;
    const cert = makeSelfSignedCert(dir, 'node', 30);
    for (const secure of [false, true]) {
      const port = await freePort();
      const config = configSchema.parse({ httpPort: port, dataDir: dir, receiver: { minFreeDiskMb: 1 }, http: { tls: secure }, tls: cert });
      const role = await serveRoleHttp('receiver', config, redis.url, { stop: async () => undefined });
      const env = { MAMMOCAD_HTTP_PORT: String(port), MAMMOCAD_HTTP_TLS: String(secure), MAMMOCAD_DATA_DIR: dir };
      try {
        expect(await runCli(['healthcheck'], env)).toMatchObject({ code: 0, stderr: '' });
        // The other protocol than the node's gets no answer.
        const mismatched = await runCli(['healthcheck'], { ...env, MAMMOCAD_HTTP_TLS: String(!secure) });
        expect(mismatched.code).toBe(1);
        expect(mismatched.stderr).toMatch(new RegExp(`^healthcheck: ${secure ? 'http' : 'https'}://127\\.0\\.0\\.1:${port}/healthz: `));
      } finally {
        await role.stop();
      }
      const gone = await runCli(['healthcheck'], env);
      expect(gone).toMatchObject({ code: 1, stderr: `healthcheck: ${secure ? 'https' : 'http'}://127.0.0.1:${port}/healthz: connect ECONNREFUSED 127.0.0.1:${port}\n` });
    }
  });
});
