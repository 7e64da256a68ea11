/**
 * What every benchmark script needs around its measurements: the command-line tools it relies on,
 * checked before anything is started, and clean-up that also runs when the script is stopped by
 * SIGINT (Ctrl-C) or SIGTERM (`npm run bench` passes both on, and sends SIGTERM on its timeout).
 * A `finally` block does not run when a signal ends the process, so a benchmark registers its
 * clean-up here and calls it from its `finally` as well; it runs once either way.
 */
import { spawnSync } from 'child_process';
import * as os from 'os';

/** Where a missing tool comes from (Debian packages). */
const PACKAGE_OF: Record<string, string> = {
  storescp: 'dcmtk',
  storescu: 'dcmtk',
  echoscu: 'dcmtk',
  dcmodify: 'dcmtk',
  gdcmconv: 'libgdcm-tools',
  'redis-server': 'redis-server',
};

/** The tools of `tools` that cannot be started (not on PATH, or not executable). */
export function missingTools(tools: string[]): string[] {
  return tools.filter((tool) => {
    const error = spawnSync(tool, ['--version'], { stdio: 'ignore', timeout: 10000 }).error as NodeJS.ErrnoException | undefined;
    // ETIMEDOUT: it started (and hung on --version), so it is there.
    return error !== undefined && error.code !== 'ETIMEDOUT';
  });
}

/** Throws, naming each missing tool and its package, before the benchmark starts anything. */
export function requireTools(bench: string, tools: string[]): void {
  const missing = missingTools(tools);
  if (missing.length === 0) return;
  const named = missing.map((t) => `${t} (Debian package ${PACKAGE_OF[t] ?? 'unknown'})`).join(', ');
  throw new Error(`${bench} needs ${named}: not found on PATH; install it and run again. Nothing was started.`);
}

export interface Cleanup {
  /** Runs the clean-up (once, however often it is called) and stops listening for signals. */
  run(): Promise<void>;
}

type Step = () => Promise<void> | void;
const pending = new Set<() => Promise<void>>();
let interrupted: NodeJS.Signals | undefined;

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) {
    // A second signal: stop waiting for the clean-up.
    process.exit(128 + (os.constants.signals[signal] ?? 15));
  }
  interrupted = signal;
  process.stderr.write(`bench: ${signal} received, cleaning up ...\n`);
  // Latest first, like nested finally blocks.
  const steps = [...pending].reverse();
  void (async () => {
    for (const step of steps) {
      try {
        await step();
      } catch (err) {
        process.stderr.write(`bench: clean-up failed: ${(err as Error).message}\n`);
      }
    }
    process.exit(128 + (os.constants.signals[signal] ?? 15));
  })();
}

function listen(on: boolean): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    if (on) process.on(signal, onSignal);
    else process.off(signal, onSignal);
  }
}

/**
 * Registers `step` to run on SIGINT/SIGTERM; call `.run()` from the benchmark's `finally`. On a
 * signal every registered step runs (latest first) and the process exits with 128 + the signal number.
 */
export function registerCleanup(step: Step): Cleanup {
  let done: Promise<void> | undefined;
  const once = (): Promise<void> => (done ??= Promise.resolve().then(step));
  if (pending.size === 0) listen(true);
  pending.add(once);
  return {
    run: async () => {
      try {
        await once();
      } finally {
        pending.delete(once);
        if (pending.size === 0 && !interrupted) listen(false);
      }
    },
  };
}

/** Median; the mean of the two middle values for an even count. */
export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** (completed − 1) studies per hour between the first and the last completion time (ms); NaN under two. */
export function steadyStudiesPerHour(doneAt: number[]): number {
  const sorted = [...doneAt].sort((a, b) => a - b);
  const spanMs = sorted[sorted.length - 1] - sorted[0];
  return sorted.length < 2 || !(spanMs > 0) ? NaN : ((sorted.length - 1) * 3600_000) / spanMs;
}
