import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { freePort } from '../../src/redis/freePort';

export interface ChildReceiver {
  child: ChildProcess;
  port: number;
  log(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/** Starts the receiver role in a child process and resolves once it listens. */
export async function startChildReceiver(env: Record<string, string>, port?: number): Promise<ChildReceiver> {
  const dicomPort = port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'receiverRoleProcess.ts')], {
    env: {
      ...process.env,
      MAMMOCAD_LOG_LEVEL: 'info',
      MAMMOCAD_DICOM_PORT: String(dicomPort),
      MAMMOCAD_MIN_FREE_DISK_MB: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30000;
  while (!/spool scan done/.test(log)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`receiver child did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, port: dicomPort, log: () => log, exited };
}
