import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(what: string, check: () => boolean, ms = 30000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * `npm run bench` stopped with Ctrl-C: a stand-in benchmark starts a "server" that ignores SIGINT
 * (as a server in the middle of something might) and registers its clean-up like the real ones.
 */
describe('npm run bench interrupted', () => {
  it('passes SIGINT to the running benchmark, whose clean-up stops its servers, then exits 130 without writing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-benchint-'));
    const server = "process.on('SIGINT', () => undefined); setInterval(() => undefined, 1000);";
    fs.writeFileSync(
      path.join(dir, 'ingest.ts'),
      [
        "import { spawn } from 'child_process';",
        "import * as fs from 'fs';",
        `import { registerCleanup } from ${JSON.stringify(path.join(ROOT, 'scripts/bench/benchProcess'))};`,
        `const dir = ${JSON.stringify(dir)};`,
        `const server = spawn(process.execPath, ['-e', ${JSON.stringify(server)}], { stdio: 'ignore' });`,
        'registerCleanup(async () => {',
        "  await new Promise((r) => { server.once('exit', r); server.kill('SIGTERM'); });",
        "  fs.writeFileSync(dir + '/cleaned', 'server stopped');",
        '});',
        "fs.writeFileSync(dir + '/pids.json', JSON.stringify({ bench: process.pid, server: server.pid }));",
        'setInterval(() => undefined, 1000);',
        '',
      ].join('\n'),
    );
    const out = path.join(dir, 'benchmarks.md');
    const runner = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/bench/all.ts'), '--bench-dir', dir, '--only', 'ingest', '--out', out], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    runner.stdout.on('data', (d) => (output += d));
    runner.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => runner.on('close', (code) => resolve(code)));
    await waitUntil('the stand-in benchmark to start', () => fs.existsSync(path.join(dir, 'pids.json')));
    await new Promise((r) => setTimeout(r, 300)); // its server is up and ignoring SIGINT
    const pids = JSON.parse(fs.readFileSync(path.join(dir, 'pids.json'), 'utf8')) as { bench: number; server: number };
    runner.kill('SIGINT');
    const code = await exited;

    expect(code).toBe(130);
    expect(output).toContain('bench: SIGINT: stopping the running benchmark');
    expect(output).toContain('bench: interrupted by SIGINT');
    expect(fs.readFileSync(path.join(dir, 'cleaned'), 'utf8')).toBe('server stopped');
    expect(alive(pids.bench)).toBe(false);
    expect(alive(pids.server)).toBe(false);
    expect(fs.existsSync(out)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
