import * as fs from 'fs';
import * as path from 'path';
import { configSchema } from '../../../src/config/schema';
import { serveRoleHttp } from '../../../src/http/roleHttp';
import { freePort } from '../../../src/redis/freePort';
import { useRedisDataDir } from '../../helpers/redisDataDir';
import { runCli } from '../../helpers/runCli';

jest.setTimeout(90000);

/** `mammocad http-user` writing the users file a running role's HTTP server reads. */
describe('mammocad http-user', () => {
  const data = useRedisDataDir('http-user');

  it('adds users whose own password opens the HTTP endpoints, gives new passwords, removes users, all without a restart', async () => {
    const { dir, redis } = data;
    const file = path.join(dir, 'http-users');
    const env = { MAMMOCAD_HTTP_USERS_FILE: file, MAMMOCAD_DATA_DIR: dir };
    const add = async (name: string) => {
      const r = await runCli(['http-user', 'add', name], env);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      return new RegExp(`^password for ${name.replace(/\./g, '\\.')}: (\\S{24})\\n$`).exec(r.stdout)![1];
    };
    const alice = await add('alice');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(alice);

    const port = await freePort();
    const config = configSchema.parse({ httpPort: port, dataDir: dir, receiver: { minFreeDiskMb: 1 }, http: { usersFile: file } });
    const role = await serveRoleHttp('receiver', config, redis.url, { stop: async () => undefined });
    const status = async (user: string, password: string) =>
      (await fetch(`http://127.0.0.1:${port}/readyz`, { headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } })).status;
    try {
      expect(await status('alice', alice)).toBe(200);
      expect(await status('alice', 'wrong')).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(401);

      const bob = await add('b.o.b');
      const aliceAgain = await add('alice');
      expect(await status('b.o.b', bob)).toBe(200);
      expect(await status('alice', alice)).toBe(401);
      expect(await status('alice', aliceAgain)).toBe(200);
      expect((await runCli(['http-user', 'list'], env)).stdout).toBe('b.o.b\nalice\n');

      expect(await runCli(['http-user', 'remove', 'alice'], env)).toMatchObject({ code: 0, stdout: 'removed alice\n' });
      expect(await status('alice', aliceAgain)).toBe(401);
      expect(await status('b.o.b', bob)).toBe(200);
    } finally {
      await role.stop();
    }
    expect(await runCli(['http-user', 'remove', 'carol'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining(`no user carol in ${file}`) });
    expect(await runCli(['http-user', 'add', 'has space'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('user name "has space": letters, digits and . _ @ - only') });
    expect(await runCli(['http-user', 'list'], { MAMMOCAD_DATA_DIR: dir, MAMMOCAD_HTTP_USERS_FILE: '' })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('set http.usersFile (MAMMOCAD_HTTP_USERS_FILE)'),
    });
  });
});
