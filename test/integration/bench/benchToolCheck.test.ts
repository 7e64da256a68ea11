import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnLogged } from '../../helpers/childProcess';
import { startStoreScp } from '../../helpers/storescp';

const ROOT = path.resolve(__dirname, '../../..');

/** A PATH directory with links to these tools only (the rest of the system's tools are absent). */
function pathWith(tools: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-bench-path-'));
  for (const tool of tools) {
    const target = execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    fs.symlinkSync(target, path.join(dir, tool));
  }
  return dir;
}

/** Runs a benchmark script with that PATH and a private TMPDIR; what it printed, and what it left. */
function runBench(script: string, tools: string[]) {
  const bin = pathWith(tools);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-bench-tmp-'));
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/bench', script), '--runs', '1', '--images', '1', '--rounds', '1'], {
    cwd: ROOT,
    env: { ...process.env, PATH: bin, TMPDIR: tmp },
    encoding: 'utf8',
    timeout: 60000,
  });
  // Any process still running from this run names the private TMPDIR in its arguments (redis --dir, storescp -od).
  const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(tmp));
  const files = fs.readdirSync(tmp).filter((f) => !f.startsWith('tsx-')); // tsx's own cache
  fs.rmSync(bin, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
  return { code: run.status, stderr: run.stderr, stdout: run.stdout, left, files };
}

describe('benchmark tool checks', () => {
  it('bench:ingest without storescp stops before starting anything, naming the tool and its package', () => {
    const r = runBench('ingest.ts', ['storescu', 'echoscu', 'redis-server']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bench:ingest needs storescp (Debian package dcmtk): not found on PATH');
    expect(r.stderr).not.toContain("Unhandled 'error' event");
    expect(r.stdout).not.toContain('writing');
    expect(r.left).toEqual([]);
    expect(r.files).toEqual([]);
  });

  it('bench:imaging without gdcmconv fails (not a silent run without the JPEG 2000 peer)', () => {
    const r = runBench('imaging.ts', []);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bench:imaging needs gdcmconv (Debian package libgdcm-tools): not found on PATH');
    expect(r.stdout).toBe('');
    expect(r.left).toEqual([]);
    expect(r.files).toEqual([]);
  });
});

describe('test helpers and a tool that cannot be started', () => {
  it('spawnLogged reports a missing command as exited, with the reason in its log, instead of crashing', async () => {
    const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-spawnlogged-')), 'out.log');
    const child = spawnLogged('mc-no-such-tool', ['--version'], logFile);
    await new Promise((r) => setTimeout(r, 200));
    expect(child.exited()).toBe(true);
    expect(child.log()).toContain('mc-no-such-tool: spawn mc-no-such-tool ENOENT');
    await child.stop(); // resolves at once: nothing to stop
    fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
  });

  it('startStoreScp without storescp on PATH rejects with the reason and leaves no log file', async () => {
    // Only this process's logs: other test files start storescp beside this one.
    const ours = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`mc-storescp-${process.pid}-`) && f.endsWith('.log'));
    const before = new Set(ours());
    const savedPath = process.env.PATH;
    process.env.PATH = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-bench-path-'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-storescp-out-'));
    try {
      await expect(startStoreScp({ dir })).rejects.toThrow(/storescp did not start: process exited before listening.*\n.*spawn storescp ENOENT/);
    } finally {
      fs.rmSync(process.env.PATH, { recursive: true, force: true });
      process.env.PATH = savedPath;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const after = ours().filter((f) => !before.has(f));
    expect(after).toEqual([]);
  });

  it('a stopped storescp leaves no log file behind, and its log stays readable', async () => {
    const scp = await startStoreScp({ aeTitle: 'LOGTEST' });
    const logFile = scp.process.logFile;
    expect(fs.existsSync(logFile)).toBe(true);
    const echo = spawnSync('echoscu', ['-aec', 'LOGTEST', '127.0.0.1', String(scp.port)], { encoding: 'utf8' });
    expect(echo.status).toBe(0);
    await scp.stop();
    expect(fs.existsSync(logFile)).toBe(false);
    expect(scp.process.log()).toContain('Association Received');
    fs.rmSync(scp.dir, { recursive: true, force: true });
  });
});
