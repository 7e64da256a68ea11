import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

/** A mammocad role running in a child process (tsx), its log captured. */
export interface ChildNode {
  child: ChildProcess;
  log(): string;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts test/helpers/<entry> and resolves once its log shows `ready`. */
export async function startChildNode(entry: string, env: Record<string, string>, ready: RegExp, timeoutMs = 30000): Promise<ChildNode> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, entry)], {
    env: { ...process.env, MAMMOCAD_LOG_LEVEL: 'info', MAMMOCAD_MIN_FREE_DISK_MB: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  while (!ready.test(log)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${entry} did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    log: () => log,
    exited,
    kill: async (signal: NodeJS.Signals = 'SIGKILL') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export const startChildWorker = (env: Record<string, string>) => startChildNode('workerRoleProcess.ts', env, /"role started"/);
export const startChildReceiverNode = (env: Record<string, string>) => startChildNode('receiverRoleProcess.ts', env, /spool scan done/);
