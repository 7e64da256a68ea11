import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../../src/redis/freePort';
import { writeMgFixture } from '../../helpers/mgFixture';
import { runCli } from '../../helpers/runCli';

/** An operator's slips at 3 a.m.: each gets one line and a non-zero exit, and nothing is done. */
describe('operator commands refuse bad arguments', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-cli-args-'));
  // No Redis behind this URL: a command that got as far as opening a session would say so instead.
  const env = { MAMMOCAD_REDIS_URL: 'redis://127.0.0.1:1', MAMMOCAD_DATA_DIR: dir };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    [['prune', '--older-than-days', ''], /--older-than-days.*a number of days/],
    [['prune', '--older-than-days', '0x10'], /a number of days/],
    [['dead-letters', 'retry', ''], /the id is empty/],
    [['rerun', '1.2.3', '1.2.4'], /too many arguments/],
    [['study', 'not-a-uid'], /not a valid DICOM UID/],
    [['send', dir, '--to', 'A@127.0.0.1:104,B@127.0.0.1:105'], /--to: expected one AET@host:port/],
    [['send', dir, '--to', 'A@127.0.0.1:104', '--timeout', 'abc'], /a number of seconds above 0/],
  ])('%j', async (args, message) => {
    const r = await runCli(args as string[], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message as RegExp);
  });

  it('render refuses a marks file that is an image, naming it', async () => {
    const a = writeMgFixture(dir);
    const b = writeMgFixture(dir);
    const r = await runCli(['render', '--image', a.file, '--marks', b.file, '--out', path.join(dir, 'x.png')], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${b.file}: the marks file is neither a presentation state nor a structured report`);
    expect(fs.existsSync(path.join(dir, 'x.png'))).toBe(false);
  });

  it('gives up on a Redis that accepts the connection but never answers', async () => {
    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() !== 'PONG'; i++)
        await new Promise((r) => setTimeout(r, 100));
      redis.kill('SIGSTOP');
      const started = Date.now();
      const r = await runCli(['study', '1.2.3'], { MAMMOCAD_REDIS_URL: `redis://127.0.0.1:${port}` }, 40000);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: Command timed out/);
      expect(Date.now() - started).toBeLessThan(30000);
    } finally {
      redis.kill('SIGCONT');
      redis.kill('SIGTERM');
    }
  });
});
