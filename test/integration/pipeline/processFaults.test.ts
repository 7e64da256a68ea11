import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { StudyStateStore } from '../../../src/pipeline/studyStateStore';
import { startEmbeddedRedis, EmbeddedRedis } from '../../../src/redis/embeddedRedis';
import { freePort } from '../../../src/redis/freePort';
import { ChildNode, startChildReceiverNode, startChildWorker } from '../../helpers/childNode';
import { waitFor } from '../../helpers/childProcess';
import { runTool, storeStatuses } from '../../helpers/dcmtkTools';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';
import { startStoreScp, StoreScp } from '../../helpers/storescp';

jest.setTimeout(120000);

/** Four screening views of one study, small MG images with real headers. */
function writeFourViews(dir: string): { studyUid: string; files: string[]; sops: string[] } {
  const studyUid = testUid();
  const views: Array<['L' | 'R', string]> = [['R', 'CC'], ['L', 'CC'], ['R', 'MLO'], ['L', 'MLO']];
  const written = views.map(([laterality, viewPosition]) => writeMgFixture(dir, { studyUid, laterality, viewPosition }));
  return { studyUid, files: written.map((w) => w.file), sops: written.map((w) => w.sopInstanceUid) };
}

/** SOP Instance UIDs a worker process logged "analysing image" for (its log is JSON lines). */
function analysedSops(log: string): Set<string> {
  const sops = new Set<string>();
  for (const line of log.split('\n')) {
    if (!line.includes('"analysing image"')) continue;
    try {
      sops.add(JSON.parse(line).sopInstanceUid);
    } catch {
      /* a partial line */
    }
  }
  return sops;
}

describe('process faults: workers killed, Redis restarted, node restarted (real processes, Redis, storescp)', () => {
  let dataDir: string;
  let redis: EmbeddedRedis;
  let client: Redis;
  let state: StudyStateStore;
  let scp: StoreScp;
  const nodes: ChildNode[] = [];
  let env: Record<string, string>;
  let dicomPort: number;

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-procfault-'));
    redis = await startEmbeddedRedis(path.join(dataDir, 'redis'));
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    state = new StudyStateStore(client);
    scp = await startStoreScp({ aeTitle: 'PACS' });
    dicomPort = await freePort();
    env = {
      MAMMOCAD_DATA_DIR: dataDir,
      MAMMOCAD_REDIS_URL: redis.url,
      MAMMOCAD_DICOM_PORT: String(dicomPort),
      MAMMOCAD_DESTINATIONS: scp.destination,
      MAMMOCAD_SETTLE_SECONDS: '2',
      MAMMOCAD_STALLED_SECONDS: '2',
      MAMMOCAD_JOB_BACKOFF_MS: '200',
      MAMMOCAD_TEST_ANALYSIS_MS: '1500',
    };
  });
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.kill();
    client.disconnect();
    await redis.stop();
    await scp.stop();
  });

  const send = async (files: string[]) => {
    const run = await runTool('storescu', ['-v', '-aec', 'MAMMOCAD', '127.0.0.1', String(dicomPort), ...files]);
    expect(storeStatuses(run.output)).toEqual(files.map(() => 'Success'));
  };
  const exported = (studyUid: string) => async () => ((await state.summary(studyUid))?.phase === 'exported' ? true : undefined);

  it('kill -9 of a worker mid-analysis: another worker finishes, the three objects arrive exactly once', async () => {
    nodes.push(await startChildReceiverNode(env));
    const doomed = await startChildWorker(env);
    nodes.push(doomed);
    const study = writeFourViews(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-views-')));
    await send(study.files);
    await waitFor('an analysis under way', () => (/"analysing image"/.test(doomed.log()) ? true : undefined), 20000, 20);
    await doomed.kill('SIGKILL');
    const survivor = await startChildWorker(env);
    nodes.push(survivor);

    await waitFor('study exported', exported(study.studyUid), 60000, 200);
    const findings = await state.findings(study.studyUid);
    expect(study.sops.map((s) => findings.get(s)?.status)).toEqual(['analysed', 'analysed', 'analysed', 'analysed']);
    // The image the killed worker held was picked up again after the stall window.
    const killedOn = /"analysing image".*?"sopInstanceUid":"([0-9.]+)"/.exec(doomed.log())![1];
    expect(survivor.log()).toContain(`"sopInstanceUid":"${killedOn}"`);
    expect(scp.files()).toHaveLength(3);
    expect(scp.storeRequests()).toBe(3);
  });

  it('private Redis (append-only) restarted mid-study: the study completes', async () => {
    nodes.push(await startChildReceiverNode(env));
    nodes.push(await startChildWorker(env));
    const study = writeFourViews(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-views-')));
    await send(study.files.slice(0, 2));
    await redis.stop();
    redis = await startEmbeddedRedis(path.join(dataDir, 'redis'), { port: redis.port });
    await send(study.files.slice(2));
    await waitFor('study exported', exported(study.studyUid), 60000, 200);
    const findings = await state.findings(study.studyUid);
    expect(findings.size).toBe(4);
    expect(scp.files()).toHaveLength(3);
    expect(scp.storeRequests()).toBe(3);
  });

  it('node restarted between receive and report: the report and exports still happen', async () => {
    const receiver = await startChildReceiverNode({ ...env, MAMMOCAD_SETTLE_SECONDS: '6' });
    const worker = await startChildWorker({ ...env, MAMMOCAD_SETTLE_SECONDS: '6' });
    const study = writeFourViews(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-views-')));
    await send(study.files);
    await receiver.kill('SIGKILL');
    await worker.kill('SIGKILL');
    expect((await state.summary(study.studyUid))?.reportCount ?? 0).toBe(0);
    nodes.push(await startChildReceiverNode(env));
    nodes.push(await startChildWorker(env));
    await waitFor('study exported', exported(study.studyUid), 60000, 200);
    expect(scp.files()).toHaveLength(3);
    expect(scp.storeRequests()).toBe(3);
  });

  it('scale-out: two receivers and two workers (separate processes) share one Redis and one spool', async () => {
    const otherPort = await freePort();
    nodes.push(await startChildReceiverNode(env), await startChildReceiverNode({ ...env, MAMMOCAD_DICOM_PORT: String(otherPort) }));
    const workers = [await startChildWorker(env), await startChildWorker(env)];
    nodes.push(...workers);
    const study = writeFourViews(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-views-')));
    // Half the study through each receiver, at the same time.
    const viaOther = runTool('storescu', ['-v', '-aec', 'MAMMOCAD', '127.0.0.1', String(otherPort), ...study.files.slice(2)]);
    await send(study.files.slice(0, 2));
    expect(storeStatuses((await viaOther).output)).toEqual(['Success', 'Success']);
    await waitFor('study exported', exported(study.studyUid), 60000, 200);
    const analysedBy = workers.map((w) => study.sops.filter((sop) => analysedSops(w.log()).has(sop)).length);
    expect(analysedBy[0] + analysedBy[1]).toBe(4);
    expect(analysedBy[0]).toBeGreaterThan(0);
    expect(analysedBy[1]).toBeGreaterThan(0);
    expect(scp.files()).toHaveLength(3);
    expect(scp.storeRequests()).toBe(3);
    expect(await state.instances(study.studyUid)).toHaveLength(4);
  });
});
