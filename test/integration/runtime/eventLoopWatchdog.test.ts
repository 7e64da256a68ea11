import { spawn } from 'node:child_process';
import path from 'node:path';

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the blocking helper to its end (bounded: killed after 20 s). */
function runBlocked(limitSeconds: number, blockMs: number): Promise<Ended> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../helpers/blockedEventLoopProcess.ts'), String(limitSeconds), String(blockMs)]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const guard = setTimeout(() => child.kill('SIGKILL'), 20000);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

describe('event loop watchdog', () => {
  it('ends a process whose event loop stays blocked, with one log line saying why', async () => {
    const ended = await runBlocked(1, -1);
    expect(ended.stdout).toContain('blocking');
    expect(ended.stdout).not.toContain('unblocked');
    expect(ended.signal).toBe('SIGKILL');
    // Killed by the watchdog (about 1 s after the block began), not by the 20 s guard.
    expect(ended.ms).toBeLessThan(15000);
    const line = ended.stderr.split('\n').find((l) => l.includes('event loop blocked'));
    expect(JSON.parse(line!)).toMatchObject({ level: 'error', message: 'event loop blocked: ending the process', role: 'test', blockedSeconds: expect.any(Number) });
    expect(JSON.parse(line!).blockedSeconds).toBeGreaterThanOrEqual(1);
  }, 30000);

  it('leaves a short block alone and does not keep the process alive; 0 turns it off', async () => {
    for (const [limit, block] of [
      [3, 1000],
      [0, 2000],
    ]) {
      const ended = await runBlocked(limit, block);
      expect({ limit, code: ended.code, signal: ended.signal, stdout: ended.stdout }).toEqual({ limit, code: 0, signal: null, stdout: 'blocking\nunblocked\n' });
      expect(ended.stderr).not.toContain('event loop blocked');
    }
  }, 60000);
});
