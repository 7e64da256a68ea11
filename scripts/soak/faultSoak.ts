/**
 * npm run soak -- [--studies N] [--seconds S] [--seed K] [--freeze] [--logs FILE]
 *
 * The node on a bad day: one receiver and three workers (child processes, stand-in analysis of 0.3 s
 * an image, real reports), a private Redis, storescp as the PACS, and three storescu senders sending
 * N four-view studies (default 60), each re-sending what was not answered Success, as a modality
 * does. For S seconds (default 100) a fault comes every 2-5 s: a worker or the receiver killed with
 * -9 and restarted, Redis restarted; with --freeze also a worker or Redis frozen (SIGSTOP) for a few
 * seconds, and the PACS down for 3-8 s. Settle window and stall window are 2 s.
 *
 * Then it waits up to 4 minutes and prints, per study, from its last image stored to `exported`; the
 * objects the PACS got more than once; and the warnings and errors the nodes logged, by message
 * (--logs FILE keeps every node's whole log).
 * Exits 1 when a study the senders were told was stored is not exported with its three objects.
 * A check for whoever changes the pipeline (it found the 120 s study lock and the lost job locks read
 * as a Redis refusing writes, 2026-12-07); random by design, so it is not a CI test.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { part10ToDataset } from '../../src/dicom/datasetFile';
import { startEmbeddedRedis } from '../../src/redis/embeddedRedis';
import { startChildReceiverNode, startChildWorker, type ChildNode } from '../../test/helpers/childNode';
import { startChildPipeline, type ChildPipeline } from '../../test/helpers/childPipeline';
import { runTool, storeStatuses } from '../../test/helpers/dcmtkTools';
import { testUid, writeMgFixture } from '../../test/helpers/mgFixture';
import { startStoreScp } from '../../test/helpers/storescp';
import { numberFrom, option } from '../commandLine';

const STUDIES = numberFrom('studies', option('studies', '60'));
const FAULT_SECONDS = numberFrom('seconds', option('seconds', '100'));
const FREEZE = process.argv.includes('--freeze');
let seed = numberFrom('seed', option('seed', '1'));
/** Fixed-seed LCG: the same faults in the same order for a seed (their timing still varies). */
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const startedAt = Date.now();
const say = (line: string) => console.log(`${((Date.now() - startedAt) / 1000).toFixed(1)} s  ${line}`);

interface Study {
  studyUid: string;
  files: string[];
  storedAt?: number;
  exportedAt?: number;
}

/** The running processes the faults act on. */
class Nodes {
  all: ChildNode[] = [];
  receiver!: ChildNode;
  workers: ChildNode[] = [];
  constructor(private readonly p: ChildPipeline) {}
  async start(): Promise<void> {
    this.receiver = await this.track(startChildReceiverNode(this.p.env));
    for (let i = 0; i < 3; i++) this.workers.push(await this.track(startChildWorker(this.p.env)));
  }
  async track(starting: Promise<ChildNode>): Promise<ChildNode> {
    const node = await starting;
    this.all.push(node);
    return node;
  }
}

/** Sends a study until every image is answered Success (a modality re-sends what failed). */
async function sendUntilStored(p: ChildPipeline, study: Study): Promise<number> {
  let pending = study.files;
  let resent = 0;
  for (let attempt = 0; pending.length > 0 && attempt < 40; attempt++) {
    if (attempt > 0) {
      resent += pending.length;
      await sleep(1000);
    }
    const run = await runTool('storescu', ['-v', '-aec', 'MAMMOCAD', '127.0.0.1', String(p.dicomPort), ...pending], 60000);
    const statuses = storeStatuses(run.output);
    pending = pending.filter((_, i) => statuses[i] !== 'Success');
  }
  if (pending.length === 0) study.storedAt = Date.now();
  else say(`gave up sending ${pending.length} images of ${study.studyUid}`);
  return resent;
}

async function oneFault(p: ChildPipeline, nodes: Nodes, pacsRequests: { before: number }): Promise<void> {
  const r = random();
  const w = Math.floor(random() * nodes.workers.length);
  const ms = 2000 + random() * 5000;
  if (FREEZE && r < 0.3) {
    say(`worker ${w} frozen for ${Math.round(ms)} ms`);
    nodes.workers[w].child.kill('SIGSTOP');
    await sleep(ms);
    nodes.workers[w].child.kill('SIGCONT');
  } else if (FREEZE && r < 0.37) {
    say(`Redis frozen for ${Math.round(ms)} ms`);
    process.kill(p.redis.pid, 'SIGSTOP');
    await sleep(ms);
    process.kill(p.redis.pid, 'SIGCONT');
  } else if (FREEZE && r < 0.45) {
    say('PACS down');
    pacsRequests.before += p.scp.storeRequests();
    await p.scp.stop();
    await sleep(ms);
    p.scp = await startStoreScp({ aeTitle: p.scp.aeTitle, port: p.scp.port, dir: p.scp.dir });
    say('PACS back');
  } else if (r < 0.6) {
    say(`worker ${w} killed`);
    await nodes.workers[w].kill('SIGKILL');
    nodes.workers[w] = await nodes.track(startChildWorker(p.env));
  } else if (r < 0.85) {
    say('receiver killed');
    await nodes.receiver.kill('SIGKILL');
    nodes.receiver = await nodes.track(startChildReceiverNode(p.env));
  } else {
    say('Redis restarted');
    await p.redis.stop();
    p.redis = await startEmbeddedRedis(path.join(p.dataDir, 'redis'), { port: p.redis.port });
  }
}

async function main(): Promise<void> {
  const p = await startChildPipeline('soak', {
    MAMMOCAD_SETTLE_SECONDS: '2',
    MAMMOCAD_STALLED_SECONDS: '2',
    MAMMOCAD_JOB_BACKOFF_MS: '200',
    MAMMOCAD_TEST_ANALYSIS_MS: '300',
  });
  const imagesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-soak-images-'));
  const studies: Study[] = Array.from({ length: STUDIES }, () => {
    const studyUid = testUid();
    const views: Array<['L' | 'R', string]> = [['R', 'CC'], ['L', 'CC'], ['R', 'MLO'], ['L', 'MLO']];
    return { studyUid, files: views.map(([laterality, viewPosition]) => writeMgFixture(imagesDir, { studyUid, laterality, viewPosition }).file) };
  });
  const nodes = new Nodes(p);
  await nodes.start();
  const watch = setInterval(() => {
    for (const s of studies.filter((s) => s.storedAt && !s.exportedAt))
      p.state.summary(s.studyUid).then((summary) => summary?.phase === 'exported' && (s.exportedAt ??= Date.now()), () => undefined);
  }, 250);
  const pacsRequests = { before: 0 };
  const senders = [0, 1, 2].map(async (k) => {
    let resent = 0;
    for (const study of studies.filter((_, i) => i % 3 === k)) {
      await sleep(random() * 2000);
      resent += await sendUntilStored(p, study);
    }
    return resent;
  });
  while (Date.now() - startedAt < FAULT_SECONDS * 1000) {
    await sleep(2000 + random() * 3000);
    await oneFault(p, nodes, pacsRequests);
  }
  say(`faults over; images re-sent by the senders: ${(await Promise.all(senders)).reduce((a, b) => a + b, 0)}`);
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline && studies.some((s) => s.storedAt && !s.exportedAt)) await sleep(500);
  clearInterval(watch);

  const atPacs = new Map<string, Set<string>>();
  for (const file of p.scp.files()) {
    const ds = part10ToDataset(fs.readFileSync(file));
    atPacs.set(String(ds.StudyInstanceUID), (atPacs.get(String(ds.StudyInstanceUID)) ?? new Set()).add(String(ds.SOPClassUID)));
  }
  const stored = studies.filter((s) => s.storedAt);
  const failures = stored.filter((s) => !s.exportedAt || atPacs.get(s.studyUid)?.size !== 3);
  const latencies = stored.filter((s) => s.exportedAt).map((s) => s.exportedAt! - s.storedAt!).sort((a, b) => a - b);
  say(`${stored.length} of ${studies.length} studies stored; ${failures.length} not exported with their three objects`);
  for (const s of failures) say(`  ${s.studyUid}: ${JSON.stringify(await p.state.summary(s.studyUid))}`);
  say(`last image stored to exported: median ${latencies[latencies.length >> 1]} ms, max ${latencies[latencies.length - 1]} ms`);
  say(`objects at the PACS: ${p.scp.files().length}, store requests: ${pacsRequests.before + p.scp.storeRequests()}`);
  const byMessage = new Map<string, number>();
  for (const line of nodes.all.flatMap((n) => n.log().split('\n')).filter((l) => /"level":"(error|warn)"/.test(l))) {
    const message = /"message":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 80);
    byMessage.set(message, (byMessage.get(message) ?? 0) + 1);
  }
  say('warnings and errors logged:');
  for (const [message, n] of [...byMessage].sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${message}`);
  const logs = option('logs');
  if (logs) fs.writeFileSync(logs, nodes.all.map((n, i) => `==== process ${i}\n${n.log()}`).join('\n'));
  for (const n of nodes.all) await n.kill();
  await p.stop();
  fs.rmSync(imagesDir, { recursive: true, force: true });
  process.exit(failures.length === 0 && stored.length === studies.length ? 0 : 1);
}

main().catch((err: Error) => {
  console.error(`soak: ${err.stack ?? err.message}`);
  process.exit(1);
});
