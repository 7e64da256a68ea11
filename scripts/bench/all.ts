/**
 * npm run bench -- [--only ingest,infer] [--out docs/benchmarks.md] [--timeout-minutes 20]
 * Runs the ingest, imaging, inference and end-to-end benchmarks one after another (each is
 * scripts/bench/<name>.ts, run with --json <file>) and writes one Markdown table with each figure and
 * its peer ratio to docs/benchmarks.md. A benchmark that is missing, fails or writes no JSON is listed
 * as "not available" with the reason; the others still count.
 *
 * Each benchmark runs in a process group of its own (it starts servers: redis, storescp, mammocad).
 * SIGINT (Ctrl-C) or SIGTERM to this runner is passed on to that whole group; the runner waits for it
 * to close (the benchmark's own clean-up runs on the signal), writes nothing and exits 128 + signal.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BENCHMARKS, BenchmarkName, BenchmarkOutcome, benchmarksMarkdown, figuresOf } from './benchmarkTable';
import { option } from '../commandLine';

export interface RunBenchmarksOptions {
  benchDir: string;
  only?: BenchmarkName[];
  timeoutMs: number;
  /** Extra arguments per benchmark (tests shorten the runs). */
  args?: Partial<Record<BenchmarkName, string[]>>;
  log?: (line: string) => void;
  /** Pass each benchmark's output through to stderr (the CLI does; tests do not). */
  echo?: boolean;
}

/** The run was stopped by a signal; the benchmark's process group has closed. */
export class BenchmarksInterrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}: the running benchmark was stopped and cleaned up; nothing written`);
  }
}

/** How long a benchmark's process group gets to clean up after a signal before SIGKILL. */
const CLEANUP_GRACE_MS = 60_000;

export async function runBenchmarks(opts: RunBenchmarksOptions): Promise<BenchmarkOutcome[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-bench-'));
  const outcomes: BenchmarkOutcome[] = [];
  try {
    for (const name of opts.only ?? BENCHMARKS) {
      const script = path.join(opts.benchDir, `${name}.ts`);
      if (!fs.existsSync(script)) {
        outcomes.push({ name, status: 'not available', reason: `${path.basename(script)} does not exist yet` });
        continue;
      }
      const json = path.join(work, `${name}.json`);
      opts.log?.(`bench: ${name} ...`);
      const started = Date.now();
      const run = await runScript(script, ['--json', json, ...(opts.args?.[name] ?? [])], opts.timeoutMs, opts.echo ?? false);
      const seconds = (Date.now() - started) / 1000;
      if (run.interrupted) throw new BenchmarksInterrupted(run.interrupted);
      if (run.timedOut) {
        outcomes.push({ name, status: 'not available', reason: `timed out after ${Math.round(opts.timeoutMs / 60000)} min` });
      } else if (run.code !== 0 || !fs.existsSync(json)) {
        const lastLine = run.output.trim().split('\n').filter(Boolean).pop() ?? '';
        outcomes.push({ name, status: 'not available', reason: `exit ${run.code}${fs.existsSync(json) ? '' : ', no JSON written'}: ${lastLine.slice(0, 160)}` });
      } else {
        try {
          outcomes.push({ name, status: 'ok', figures: figuresOf(name, JSON.parse(fs.readFileSync(json, 'utf8'))), seconds });
        } catch (err) {
          outcomes.push({ name, status: 'not available', reason: `result unreadable: ${(err as Error).message}` });
        }
      }
      opts.log?.(`bench: ${name} ${outcomes[outcomes.length - 1].status} (${seconds.toFixed(0)} s)`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return outcomes;
}

interface ScriptRun {
  code: number | null;
  output: string;
  timedOut: boolean;
  /** The signal this runner received (and passed on) while the benchmark ran. */
  interrupted?: NodeJS.Signals;
}

function runScript(script: string, args: string[], timeoutMs: number, echo: boolean): Promise<ScriptRun> {
  return new Promise((resolve) => {
    // detached: a process group of its own, so the group (servers included) can be signalled as one.
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const keep = (chunk: Buffer) => {
      if (echo) process.stderr.write(chunk);
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let killTimer: NodeJS.Timeout | undefined;
    // The whole process group: benchmarks start servers (redis, storescp, mammocad) of their own.
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        child.kill(signal);
      }
      // Bounded: a group that does not close after its clean-up time is killed.
      killTimer ??= setTimeout(() => signalGroup('SIGKILL'), CLEANUP_GRACE_MS);
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
    }, timeoutMs);
    let interrupted: NodeJS.Signals | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      if (interrupted) {
        // A second Ctrl-C: do not wait for the clean-up.
        signalGroup('SIGKILL');
        return;
      }
      interrupted = signal;
      process.stderr.write(`bench: ${signal}: stopping the running benchmark (process group ${child.pid}) ...\n`);
      signalGroup(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const done = (code: number | null) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve({ code, output, timedOut, interrupted });
    };
    child.on('error', (err) => {
      output += `\n${err.message}`;
      if (child.pid === undefined) done(null);
    });
    child.on('close', (code) => done(code));
  });
}

async function main(): Promise<void> {
  // --bench-dir: another directory of benchmark scripts (tests run stand-ins).
  const only = option('only')?.split(',').map((s) => s.trim()) as BenchmarkName[] | undefined;
  const unknown = (only ?? []).filter((n) => !(BENCHMARKS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`--only: unknown benchmark ${unknown.join(', ')} (known: ${BENCHMARKS.join(', ')})`);
  const out = path.resolve(option('out') ?? path.join(__dirname, '../../docs/benchmarks.md'));
  const load = os.loadavg()[0].toFixed(1);
  const outcomes = await runBenchmarks({
    benchDir: path.resolve(option('bench-dir') ?? __dirname),
    only,
    timeoutMs: Number(option('timeout-minutes') ?? '20') * 60_000,
    log: (line) => process.stdout.write(`${line}\n`),
    echo: true,
  });
  const cpus = os.cpus();
  // Load at the start: on a shared machine the figures mean little without it.
  const host = `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${load} at the start`;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, benchmarksMarkdown(outcomes, { date: new Date().toISOString().slice(0, 10), host }));
  process.stdout.write(`bench: wrote ${path.relative(process.cwd(), out)}\n`);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`bench: ${err.message}\n`);
    process.exit(err instanceof BenchmarksInterrupted ? 128 + (os.constants.signals[err.signal] ?? 15) : 1);
  });
}
