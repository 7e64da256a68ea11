/**
 * End-to-end benchmark: a synthetic 4-view study of full-size MG images (4096×3328, 16-bit) is stored
 * into the node (receiver and worker processes, as `mammocad receiver` / `mammocad worker`, sharing a
 * private redis-server and one spool), which sends its three objects to dcmtk's storescp.
 *
 *  - latency: from the last image's C-STORE Success until storescp holds all three objects, minus
 *    the settle window (the time the node waits on purpose); target ≤ 5 s;
 *  - throughput: studies per hour with one and with two worker processes, in steady state: N studies
 *    (--studies, default 8, each with fresh UIDs) sent back to back after one uncounted warm-up study
 *    (model loading); the rate is (N − 1) studies over the time from the first study's completion to
 *    the last one's. Each study's settle window runs while earlier studies are analysed, so the figure
 *    is the node's throughput, not 3600 / (settle window + one study's processing) as a rate timed from
 *    the first image sent would be.
 *
 *   npm run bench:e2e -- [--studies 8] [--workers 1,2] [--size 4096x3328] [--settle <s, default: the
 *   product default pipeline.settleSeconds>] [--jpeg2000 [--jpeg2000-decoder auto|wasm]] [--json out.json]
 *
 * --jpeg2000 sends the images JPEG 2000 lossless (compressed by GDCM's gdcmconv, as a PACS that
 * stores J2K forwards them); --jpeg2000-decoder sets the workers' imaging.jpeg2000Decoder.
 *
 * Images are sent with dcmtk's storescu; a study counts as done when the node's study state says
 * every image is analysed (or failed) and all its objects are delivered (storescp confirms the count).
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { configSchema } from '../../src/config/schema';
import Redis from 'ioredis';
import { StudyStateStore } from '../../src/pipeline/studyStateStore';
import { startEmbeddedRedis } from '../../src/redis/embeddedRedis';
import { freePort } from '../../src/redis/freePort';
import { writeSyntheticStudy } from '../../src/synth/studyWriter';
import { synthesizerByName } from '../../src/synth/synthesizerByName';
import { StoreScp, startStoreScp } from '../../test/helpers/storescp';
import { EmbeddedRedis } from '../../src/redis/embeddedRedis';
import { registerCleanup, requireTools, steadyStudiesPerHour } from './benchProcess';

interface Options {
  studies: number;
  workers: number[];
  rows: number;
  columns: number;
  settleSeconds: number;
  jpeg2000: boolean;
  jpeg2000Decoder?: string;
  json?: string;
}

function parseOptions(argv: string[]): Options {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const [rows, columns] = (get('size') ?? '4096x3328').split('x').map(Number);
  return {
    studies: Number(get('studies') ?? String(DEFAULT_STUDIES)),
    workers: (get('workers') ?? '1,2').split(',').map(Number),
    rows,
    columns,
    settleSeconds: Number(get('settle') ?? String(configSchema.parse({}).pipeline.settleSeconds)),
    jpeg2000: argv.includes('--jpeg2000'),
    jpeg2000Decoder: get('jpeg2000-decoder'),
    json: get('json'),
  };
}

/** Studies per throughput batch: at full size and one worker, several settle windows long. */
const DEFAULT_STUDIES = 8;

const ROOT = path.resolve(__dirname, '../..');
const log = (line: string) => process.stderr.write(`bench:e2e ${line}\n`);

/** The template study, written once per size and reused across runs. */
async function templateStudy(rows: number, columns: number, jpeg2000: boolean): Promise<string[]> {
  const dir = path.join(os.tmpdir(), `mammocad-bench-e2e-${rows}x${columns}${jpeg2000 ? '-j2k' : ''}`);
  const done = path.join(dir, 'complete');
  if (!fs.existsSync(done)) {
    log(`writing the ${rows}×${columns} template study (once) ...`);
    fs.rmSync(dir, { recursive: true, force: true });
    await writeSyntheticStudy({ outDir: dir, rows, columns, seed: 1, synthesizer: synthesizerByName('procedural') });
    if (jpeg2000) {
      for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.dcm'))) execFileSync('gdcmconv', ['--j2k', path.join(dir, f), path.join(dir, f)]);
    }
    fs.writeFileSync(done, '');
  }
  return fs.readdirSync(dir).filter((f) => f.endsWith('.dcm')).sort().map((f) => path.join(dir, f));
}

let uidCounter = 0;
function freshUid(): string {
  uidCounter += 1;
  return `2.25.${Date.now()}${process.pid % 10000}${String(uidCounter).padStart(4, '0')}`;
}

/** A copy of the template with new Study, Series and SOP Instance UIDs (dcmodify keeps the meta in step). */
function copyStudy(template: string[], dir: string): { studyUid: string; files: string[] } {
  const studyUid = freshUid();
  fs.mkdirSync(dir, { recursive: true });
  const files = template.map((file, i) => {
    const target = path.join(dir, `${i}.dcm`);
    fs.copyFileSync(file, target);
    execFileSync('dcmodify', ['-nb', '-ma', `(0020,000d)=${studyUid}`, '-ma', `(0020,000e)=${freshUid()}`, '-ma', `(0008,0018)=${freshUid()}`, target]);
    return target;
  });
  return { studyUid, files };
}

interface NodeProcess {
  child: ChildProcess;
  log: () => string;
}

async function startRole(role: 'receiver' | 'worker', env: NodeJS.ProcessEnv, ready: RegExp): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), role], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.on('error', (err) => (text += `\n${role}: ${err.message}\n`));
  child.stdout!.on('data', (d) => (text = (text + d).slice(-200000)));
  child.stderr!.on('data', (d) => (text = (text + d).slice(-200000)));
  const deadline = Date.now() + 60000;
  while (!ready.test(text)) {
    if (child.pid === undefined || child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${role} did not start:\n${text.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, log: () => text };
}

async function stopRole(p: NodeProcess): Promise<void> {
  if (p.child.pid === undefined || p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 20000);
  await exited;
  clearTimeout(timer);
}

/**
 * Waits until the study is done: every one of its four images has findings and the node's state says
 * all objects of that build are delivered (a partial build, made while an image was still on its way,
 * does not count). Returns when.
 */
async function waitForStudy(state: StudyStateStore, studyUid: string, images: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const summary = await state.summary(studyUid);
    if (summary?.phase === 'exported' && (await state.findings(studyUid)).size === images && (await state.instances(studyUid)).length === images) {
      return Date.now();
    }
    if (Date.now() > deadline) throw new Error(`study ${studyUid} not exported within ${timeoutMs} ms (phase ${summary?.phase})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits for all of `studies` at once, polling each until it is done, and returns when each was first
 * seen done (so a study finished while another is still awaited gets its own time, not a later one).
 */
async function waitForStudies(state: StudyStateStore, studies: Array<{ studyUid: string; files: string[] }>, timeoutMs: number, abandoned: () => boolean): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  const doneAt: Array<number | undefined> = studies.map(() => undefined);
  while (doneAt.some((t) => t === undefined)) {
    if (abandoned()) throw new Error('abandoned');
    for (const [i, study] of studies.entries()) {
      if (doneAt[i] !== undefined) continue;
      const summary = await state.summary(study.studyUid);
      if (summary?.phase === 'exported' && (await state.findings(study.studyUid)).size === study.files.length && (await state.instances(study.studyUid)).length === study.files.length) {
        doneAt[i] = Date.now();
      }
    }
    if (Date.now() > deadline) throw new Error(`${doneAt.filter((t) => t === undefined).length} of ${studies.length} studies not exported within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return doneAt as number[];
}

/** Analysis time per image, the wait from settled to reported (analysis still running), report to stored. */
async function latencyBreakdown(redisUrl: string, studyUid: string, settleSeconds: number, storedAt: number): Promise<RunResult['breakdown']> {
  const client = new Redis(redisUrl);
  try {
    const state = new StudyStateStore(client);
    const summary = (await state.summary(studyUid))!;
    const findings = [...(await state.findings(studyUid)).values()];
    const mean = findings.reduce((sum, f) => sum + (f.analysisMs ?? 0), 0) / Math.max(1, findings.length) / 1000;
    const settled = summary.lastImageAt + settleSeconds * 1000;
    const round = (x: number) => Number(x.toFixed(2));
    return {
      meanAnalysisSecondsPerImage: round(mean),
      settledToReportedSeconds: round(((summary.reportedAt ?? settled) - settled) / 1000),
      reportedToStoredSeconds: round((storedAt - (summary.reportedAt ?? storedAt)) / 1000),
    };
  } finally {
    client.disconnect();
  }
}

/**
 * Sends a study with dcmtk's storescu; resolves when the last image's Success has come back. Not
 * spawnSync: the studies already sent are being watched meanwhile.
 */
async function sendStudy(files: string[], port: number, jpeg2000: boolean): Promise<number> {
  const out = await new Promise<string>((resolve, reject) => {
    // storescu logs on stderr; -xv proposes JPEG 2000 lossless beside the uncompressed syntaxes.
    const args = ['-v', ...(jpeg2000 ? ['-xv'] : []), '-aet', 'BENCH', '-aec', 'MAMMOCAD', '127.0.0.1', String(port), ...files];
    const child = spawn('storescu', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300000);
    child.on('error', (err) => reject(new Error(`storescu: ${err.message}`)));
    child.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
  const at = Date.now();
  const successes = (out.match(/Received Store Response \(Success\)/g) ?? []).length;
  if (successes !== files.length) throw new Error(`the node answered Success for ${successes} of ${files.length} images`);
  return at;
}

interface RunResult {
  workers: number;
  /** Where the latency went, from the node's study state. */
  breakdown: { meanAnalysisSecondsPerImage: number; settledToReportedSeconds: number; reportedToStoredSeconds: number };
  latencySeconds: number;
  latencyWithSettleSeconds: number;
  /** Steady state: (studies − 1) × 3600 / firstToLastCompletionSeconds. */
  studiesPerHour: number;
  studies: number;
  firstToLastCompletionSeconds: number;
  /** From the first image of the batch sent to the last study done (includes one settle window). */
  elapsedSeconds: number;
  throughputMethod: string;
}

async function runWithWorkers(opts: Options, template: string[], workers: number, work: string): Promise<RunResult> {
  const dataDir = fs.mkdtempSync(path.join(work, `node-${workers}w-`));
  const roles: NodeProcess[] = [];
  let redis: EmbeddedRedis | undefined;
  let scp: StoreScp | undefined;
  let client: Redis | undefined;
  // Also on SIGINT/SIGTERM, where the finally below does not run.
  const cleanup = registerCleanup(async () => {
    client?.disconnect();
    for (const role of roles.reverse()) await stopRole(role);
    await scp?.stop();
    await redis?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  try {
    redis = await startEmbeddedRedis(path.join(dataDir, 'redis'));
    scp = await startStoreScp({ aeTitle: 'BENCHPACS', dir: path.join(dataDir, 'received') });
    const dicomPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      MAMMOCAD_DATA_DIR: dataDir,
      MAMMOCAD_REDIS_URL: redis.url,
      MAMMOCAD_DICOM_PORT: String(dicomPort),
      MAMMOCAD_HTTP_PORT: '0',
      MAMMOCAD_DESTINATIONS: scp.destination,
      MAMMOCAD_SETTLE_SECONDS: String(opts.settleSeconds),
      MAMMOCAD_MIN_FREE_DISK_MB: '0',
      MAMMOCAD_LOG_LEVEL: 'info',
      ...(opts.jpeg2000Decoder && { MAMMOCAD_JPEG2000_DECODER: opts.jpeg2000Decoder }),
    };
    roles.push(await startRole('receiver', env, /spool scan done/));
    for (let i = 0; i < workers; i++) roles.push(await startRole('worker', env, /"role started"/));
    client = new Redis(redis.url);
    const state = new StudyStateStore(client);
    const timeoutMs = 30 * 60 * 1000;

    log(`${workers} worker(s): warm-up study ...`);
    const warm = copyStudy(template, path.join(dataDir, 'in', 'warm'));
    await sendStudy(warm.files, dicomPort, opts.jpeg2000);
    await waitForStudy(state, warm.studyUid, warm.files.length, timeoutMs);

    log(`${workers} worker(s): latency study ...`);
    const single = copyStudy(template, path.join(dataDir, 'in', 'single'));
    const lastSuccess = await sendStudy(single.files, dicomPort, opts.jpeg2000);
    const objectsStored = await waitForStudy(state, single.studyUid, single.files.length, timeoutMs);
    const latencyWithSettleSeconds = (objectsStored - lastSuccess) / 1000;
    const breakdown = await latencyBreakdown(redis.url, single.studyUid, opts.settleSeconds, objectsStored);

    log(`${workers} worker(s): ${opts.studies} studies back to back ...`);
    const batch = Array.from({ length: opts.studies }, (_, i) => copyStudy(template, path.join(dataDir, 'in', `batch-${i}`)));
    const started = Date.now();
    // Watched from the start, so each study's completion time is its own.
    let sending = true;
    let sendFailed = false;
    const completions = waitForStudies(state, batch, timeoutMs, () => sendFailed);
    completions.catch(() => undefined); // awaited below; a failed send stops it first
    try {
      for (const study of batch) await sendStudy(study.files, dicomPort, opts.jpeg2000);
      sending = false;
    } finally {
      sendFailed = sending;
    }
    const doneAt = (await completions).sort((a, b) => a - b);
    client.disconnect();
    client = undefined;
    if (scp.files().length !== 3 * (batch.length + 2)) throw new Error(`storescp holds ${scp.files().length} objects, expected ${3 * (batch.length + 2)}`);
    const firstToLastCompletionSeconds = (doneAt[doneAt.length - 1] - doneAt[0]) / 1000;
    const elapsedSeconds = (doneAt[doneAt.length - 1] - started) / 1000;
    const result: RunResult = {
      workers,
      breakdown,
      latencySeconds: latencyWithSettleSeconds - opts.settleSeconds,
      latencyWithSettleSeconds,
      studiesPerHour: steadyStudiesPerHour(doneAt),
      studies: batch.length,
      firstToLastCompletionSeconds,
      elapsedSeconds,
      throughputMethod: THROUGHPUT_METHOD,
    };
    if (firstToLastCompletionSeconds < 3 * opts.settleSeconds) {
      log(`warning: the completions spread over ${firstToLastCompletionSeconds.toFixed(1)} s, under 3 settle windows: send more studies (--studies) for a steadier figure`);
    }
    log(`${workers} worker(s): latency ${result.latencySeconds.toFixed(1)} s after the settle window (${JSON.stringify(breakdown)}), ${result.studiesPerHour.toFixed(1)} studies/h (${THROUGHPUT_METHOD})`);
    return result;
  } finally {
    await cleanup.run();
  }
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (!(opts.studies >= 2)) throw new Error(`--studies ${opts.studies}: at least 2 (the rate is taken between the first and the last completion)`);
  // Before anything starts: a missing tool would otherwise fail half-way, servers running.
  requireTools('bench:e2e', ['storescp', 'storescu', 'dcmodify', 'redis-server', ...(opts.jpeg2000 ? ['gdcmconv'] : [])]);
  const template = await templateStudy(opts.rows, opts.columns, opts.jpeg2000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-bench-e2e-run-'));
  const load = os.loadavg()[0];
  const runs: RunResult[] = [];
  const cleanup = registerCleanup(() => fs.rmSync(work, { recursive: true, force: true }));
  try {
    for (const workers of opts.workers) runs.push(await runWithWorkers(opts, template, workers, work));
  } finally {
    await cleanup.run();
  }
  const encoding = opts.jpeg2000 ? `, JPEG 2000 lossless (imaging.jpeg2000Decoder ${opts.jpeg2000Decoder ?? 'auto'})` : '';
  const note = `${opts.rows}×${opts.columns} 16-bit${encoding}, 4 views; settle window ${opts.settleSeconds} s; load average ${load.toFixed(1)} at the start; ${os.cpus().length} CPUs`;
  const figures = runs.flatMap((r) => [
    {
      name: `latency after the settle window, ${r.workers} worker(s)`,
      value: Number(r.latencySeconds.toFixed(2)),
      unit: 's',
      peer: { name: 'target', value: 5 },
      higherIsBetter: false,
      note,
    },
    {
      name: `studies per hour, ${r.workers} worker(s), steady state`,
      value: Number(r.studiesPerHour.toFixed(1)),
      unit: 'studies/h',
      higherIsBetter: true,
      note: `${THROUGHPUT_METHOD}: ${r.studies} studies, ${r.firstToLastCompletionSeconds.toFixed(1)} s from first to last completion; ${note}`,
    },
  ]);
  const result = { figures, runs, options: opts };
  for (const f of figures) process.stdout.write(`${f.name}: ${f.value} ${f.unit}${f.peer ? ` (target ${f.peer.value} ${f.unit})` : ''}\n`);
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(result, null, 2));
}

/** How studiesPerHour is measured, for the output and docs/benchmarks.md. */
const THROUGHPUT_METHOD = 'rate between the first and the last completion of studies sent back to back';

main().catch((err: Error) => {
  process.stderr.write(`bench:e2e: ${err.message}\n`);
  process.exit(1);
});
