import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';

/** A child process a test started, with its output captured to a log file for failure messages. */
export interface TestChild {
  child: ChildProcess;
  logFile: string;
  exited(): boolean;
  log(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnLogged(command: string, args: string[], logFile: string, env?: NodeJS.ProcessEnv): TestChild {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', out, out], env: env ?? process.env });
  fs.closeSync(out);
  let hasExited = false;
  child.on('exit', () => (hasExited = true));
  // A command that cannot be started (e.g. spawn storescp ENOENT) emits 'error' and never 'exit':
  // without this listener the error crashes the process. It counts as exited, with the reason logged.
  child.on('error', (err) => {
    if (child.pid === undefined) hasExited = true; // never started
    try {
      fs.appendFileSync(logFile, `${command}: ${err.message}\n`);
    } catch {
      /* the log is only for failure messages */
    }
  });
  return {
    child,
    logFile,
    exited: () => hasExited,
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    stop: (signal: NodeJS.Signals = 'SIGTERM') => {
      if (hasExited) return Promise.resolve();
      return new Promise<void>((resolve) => {
        // Bounded: a child that ignores SIGTERM is killed after 5 s.
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill(signal);
      });
    },
  };
}

/** Resolves once something accepts TCP connections on host:port. */
export async function waitForPort(port: number, isDead: () => boolean, timeoutMs = 15000, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (isDead()) throw new Error(`process exited before listening on ${port}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listening on ${host}:${port} after ${timeoutMs} ms`);
}

/** Polls until check() returns a value (not undefined) or the time is up. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
