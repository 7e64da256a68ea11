/**
 * Ingest benchmark: the same N full-size MG images (4096×3328, 16-bit) sent with dcmtk's storescu
 * to mammocad's receiver (a child process with a private redis-server; it fsyncs and queues each
 * image before answering) and to dcmtk's storescp (writing to a temp dir, no fsync), alternating
 * over several rounds on the same machine, after one uncounted warm-up round. Prints images/s, MB/s, the ratio, and the peak RSS
 * (VmHWM) of the mammocad process; --json <file> writes the result for docs/benchmarks.md.
 *
 *   npm run bench:ingest -- [--images 8] [--rounds 5] [--role receiver|all-in-one] [--json out.json]
 *
 * The receiver role is the default: all-in-one would also run the analysis workers on the same
 * two cores, which measures analysis, not ingest.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startEmbeddedRedis } from '../../src/redis/embeddedRedis';
import { freePort } from '../../src/redis/freePort';
import { writeMgFixture } from '../../test/helpers/mgFixture';
import { median, registerCleanup, requireTools } from './benchProcess';

interface Options {
  images: number;
  rounds: number;
  rows: number;
  columns: number;
  role: 'receiver' | 'all-in-one';
  json?: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { images: 8, rounds: 5, rows: 4096, columns: 3328, role: 'receiver' };
  for (let i = 0; i < argv.length; i++) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (key === '--images') opts.images = Number(value);
    else if (key === '--rounds') opts.rounds = Number(value);
    else if (key === '--rows') opts.rows = Number(value);
    else if (key === '--columns') opts.columns = Number(value);
    else if (key === '--role') opts.role = value as Options['role'];
    else if (key === '--json') opts.json = value;
    else continue;
    i++;
  }
  return opts;
}

/** The templates' own UIDs, never sent: every round (the warm-up too) gets fresh ones. */
const TEMPLATE = -1;

/** UIDs of one fixed length, so a round's copies are made by replacing bytes in place. */
function uidFor(kind: number, round: number, image: number): string {
  return `2.25.7${kind}${String(round + 1).padStart(3, '0')}${String(image).padStart(4, '0')}112233445566778899`;
}

function replaceAll(buf: Buffer, from: string, to: string): void {
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  for (let at = buf.indexOf(a); at >= 0; at = buf.indexOf(a, at + b.length)) b.copy(buf, at);
}

/** The round's files: fresh Study/Series/SOP Instance UIDs each round, so nothing is a duplicate. */
function writeRound(templates: Buffer[], dir: string, round: number): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return templates.map((template, image) => {
    const copy = Buffer.from(template);
    replaceAll(copy, uidFor(1, TEMPLATE, image), uidFor(1, round, image));
    replaceAll(copy, uidFor(2, TEMPLATE, 0), uidFor(2, round, 0));
    replaceAll(copy, uidFor(3, TEMPLATE, 0), uidFor(3, round, 0));
    const file = path.join(dir, `img${image}.dcm`);
    fs.writeFileSync(file, copy);
    return file;
  });
}

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    // A tool that cannot be started: 'error', then 'close' with a negative code.
    child.on('error', (err) => (output += `${command}: ${err.message}\n`));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** A server child; `failure` is set when it could not be started or exited early. */
interface Server {
  name: string;
  child: ChildProcess;
  failure?: string;
}

function startServer(name: string, command: string, args: string[], options: Parameters<typeof spawn>[2]): Server {
  const server: Server = { name, child: spawn(command, args, options) };
  server.child.on('error', (err) => (server.failure ??= err.message));
  server.child.on('exit', (code, signal) => (server.failure ??= `exited (${signal ?? `code ${code}`})`));
  return server;
}

async function waitForPort(port: number, ms: number, server: Server): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (server.failure) throw new Error(`${server.name} did not start: ${server.failure}`);
    const echo = await run('echoscu', ['-to', '2', '-aec', 'ANY', '127.0.0.1', String(port)]);
    // Any answer (even a rejection) means the listener is up.
    if (echo.code === 0 || /Association Rejected/.test(echo.output)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing listens on port ${port}`);
}

async function timedStore(port: number, calledAe: string, files: string[]): Promise<number> {
  const started = process.hrtime.bigint();
  const result = await run('storescu', ['-aec', calledAe, '127.0.0.1', String(port), ...files]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.code !== 0) throw new Error(`storescu to ${calledAe} failed: ${result.output}`);
  return seconds;
}

function settleDisk(): void {
  spawnSync('sync');
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function stop(child: ChildProcess): Promise<void> {
  // Never started (spawn error), or already gone.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  // Before anything starts: a missing tool would otherwise fail half-way, servers running.
  requireTools('bench:ingest', ['storescp', 'storescu', 'echoscu', 'redis-server']);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-bench-ingest-'));
  const children: ChildProcess[] = [];
  let redisStop: (() => Promise<void>) | undefined;
  // Also on SIGINT/SIGTERM, where the finally below does not run.
  const cleanup = registerCleanup(async () => {
    await Promise.all(children.map(stop));
    await redisStop?.();
    fs.rmSync(work, { recursive: true, force: true });
  });
  try {
    process.stdout.write(`writing ${opts.images} images of ${opts.columns}x${opts.rows} 16-bit...\n`);
    const templates = Array.from({ length: opts.images }, (_, image) => {
      const fx = writeMgFixture(path.join(work, 'templates'), {
        rows: opts.rows,
        columns: opts.columns,
        studyUid: uidFor(2, TEMPLATE, 0),
        seriesUid: uidFor(3, TEMPLATE, 0),
        sopInstanceUid: uidFor(1, TEMPLATE, image),
      });
      return fs.readFileSync(fx.file);
    });
    const bytesPerRound = templates.reduce((n, t) => n + t.length, 0);

    const redis = await startEmbeddedRedis(path.join(work, 'redis'));
    redisStop = redis.stop;
    const mammocadPort = await freePort();
    const mammocadData = path.join(work, 'mammocad');
    const mammocadServer = startServer(
      'mammocad receiver',
      process.execPath,
      ['--import', 'tsx', path.resolve(__dirname, '../../src/cli/main.ts'), opts.role],
      {
        env: {
          ...process.env,
          MAMMOCAD_DATA_DIR: mammocadData,
          MAMMOCAD_DICOM_PORT: String(mammocadPort),
          MAMMOCAD_HTTP_PORT: '0', // roles serve HTTP; any free port, so a busy 8080 cannot stop the bench
          MAMMOCAD_REDIS_URL: redis.url,
          MAMMOCAD_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
          MAMMOCAD_MIN_FREE_DISK_MB: '0',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const mammocad = mammocadServer.child;
    children.push(mammocad);
    const storescpPort = await freePort();
    const storescpDir = path.join(work, 'storescp');
    fs.mkdirSync(storescpDir);
    const storescp = startServer(
      'storescp',
      'storescp',
      ['-aet', 'STORESCP', '--max-pdu', '65536', '-od', storescpDir, String(storescpPort)],
      {
        stdio: 'ignore',
      },
    );
    children.push(storescp.child);
    await Promise.all([waitForPort(mammocadPort, 60000, mammocadServer), waitForPort(storescpPort, 20000, storescp)]);

    const seconds = { mammocad: [] as number[], storescp: [] as number[] };
    // Round 0 warms up both (V8's JIT, the thread pool, Redis) and is not counted.
    for (let round = 0; round <= opts.rounds; round++) {
      const files = writeRound(templates, path.join(work, `round${round}`), round);
      // Dirty pages left by writing the round (or by the previous target) would be flushed by
      // the next fsync, billing mammocad for the benchmark's own writes: start each run clean.
      settleDisk();
      // Alternate who goes first, so page cache and disk state favour neither.
      const order: Array<'mammocad' | 'storescp'> =
        round % 2 ? ['mammocad', 'storescp'] : ['storescp', 'mammocad'];
      for (const target of order) {
        const s =
          target === 'mammocad'
            ? await timedStore(mammocadPort, 'MAMMOCAD', files)
            : await timedStore(storescpPort, 'STORESCP', files);
        if (round > 0) seconds[target].push(s);
        settleDisk();
        process.stdout.write(
          `round ${round || 'warm-up'} ${target}: ${(opts.images / s).toFixed(2)} images/s\n`,
        );
      }
      fs.rmSync(path.join(work, `round${round}`), { recursive: true, force: true });
      fs.rmSync(path.join(mammocadData, 'spool', uidFor(2, round, 0)), { recursive: true, force: true });
      for (const f of fs.readdirSync(storescpDir)) fs.rmSync(path.join(storescpDir, f), { force: true });
    }

    const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const rate = (xs: number[]) => ({
      imagesPerSecond: (opts.images * xs.length) / total(xs),
      megabytesPerSecond: (bytesPerRound * xs.length) / total(xs) / 1e6,
      secondsPerRound: xs,
    });
    const result = {
      benchmark: 'ingest',
      date: new Date().toISOString(),
      host: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
      images: opts.images,
      rounds: opts.rounds,
      imageSize: {
        rows: opts.rows,
        columns: opts.columns,
        bitsAllocated: 16,
        bytes: Math.round(bytesPerRound / opts.images),
      },
      mammocadRole: opts.role,
      mammocad: rate(seconds.mammocad),
      storescp: rate(seconds.storescp),
      ratio: total(seconds.storescp) / total(seconds.mammocad),
      // The shared build box is noisy: the median of the per-round ratios is the steadier figure.
      roundRatios: seconds.mammocad.map((s, k) => seconds.storescp[k] / s),
      medianRoundRatio: median(seconds.mammocad.map((s, k) => seconds.storescp[k] / s)),
      loadAverageDuringRun: os.loadavg()[0],
      mammocadPeakRssMb: Math.round(peakRssMb(mammocad.pid!)),
      notes:
        'mammocad fsyncs each file and its directory and queues a job before answering; storescp does neither',
    };
    process.stdout.write(
      `\nmammocad: ${result.mammocad.imagesPerSecond.toFixed(2)} images/s, ${result.mammocad.megabytesPerSecond.toFixed(1)} MB/s\n` +
        `storescp: ${result.storescp.imagesPerSecond.toFixed(2)} images/s, ${result.storescp.megabytesPerSecond.toFixed(1)} MB/s\n` +
        `ratio mammocad/storescp: ${result.ratio.toFixed(2)} overall, ${result.medianRoundRatio.toFixed(2)} median of rounds ` +
        `(${result.roundRatios.map((r) => r.toFixed(2)).join(' ')}), load average ${result.loadAverageDuringRun.toFixed(1)}\n` +
        `mammocad peak RSS: ${result.mammocadPeakRssMb} MB\n`,
    );
    if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(result, null, 2) + '\n');
  } finally {
    await cleanup.run();
  }
}

main().catch((e: Error) => {
  process.stderr.write(`bench:ingest: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
