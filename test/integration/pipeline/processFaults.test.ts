import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startEmbeddedRedis } from '../../../src/redis/embeddedRedis';
import { freePort } from '../../../src/redis/freePort';
import { startChildReceiverNode, startChildWorker } from '../../helpers/childNode';
import { ChildPipeline, startChildPipeline } from '../../helpers/childPipeline';
import { waitFor } from '../../helpers/childProcess';
import { runTool, storeStatuses } from '../../helpers/dcmtkTools';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';

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
  let p: ChildPipeline;
  beforeEach(async () => {
    p = await startChildPipeline('procfault', {
      MAMMOCAD_SETTLE_SECONDS: '2',
      MAMMOCAD_STALLED_SECONDS: '2',
      MAMMOCAD_JOB_BACKOFF_MS: '200',
      MAMMOCAD_TEST_ANALYSIS_MS: '1500',
    });
  });
  afterEach(() => p.stop());

  const send = (files: string[]) => p.send(files);
  const exported = (studyUid: string) => async () => ((await p.state.summary(studyUid))?.phase === 'exported' ? true : undefined);

  it('kill -9 of a worker mid-analysis: another worker finishes, the three objects arrive exactly once', async () => {
    p.nodes.push(await startChildReceiverNode(p.env));
    const doomed = await startChildWorker(p.env);
    p.nodes.push(doomed);
    const study = writeFourViews(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-views-')));
    await send(study.files);
    await waitFor('an analysis under way', () => (/"analysing image"/.test(doomed.log()) ? true : undefined), 20000, 20);
    await doomed.kill('SIGKILL');
    const survivor = await startChildWorker(p.env);
    p.nodes.push(survivor);

    await waitFor('study exported', exported(study.studyUid), 60000, 200);
    const findings = await p.state.findings(study.studyUid);
    expect(study.sops.map((s) => findings.get(s)?.status)).toEqual(['analysed', 'analysed', 'analysed', 'analysed']);
    // The image the killed worker held was picked up again after the stall window.
    const killedOn = /"analysing image".*?"sopInstanceUid":"([0-9.]+)"/.exec(doomed.log())![1];
    expect(survivor.log()).toContain(`"sopInstanceUid":"${killedOn}"`);
    expect(p.scp.files()).toHaveLength(3);
    expect(p.scp.storeRequests()).toBe(3);
  });

  it("kill -9 of the worker building a study's objects: another worker builds them once the stall window has passed", async () => {
    p.nodes.push(await startChildReceiverNode(p.env));
    const workers = [await startChildWorker(p.env), await startChildWorker(p.env)];
    p.nodes.push(...workers);
    const study = writeFourViews(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-views-')));
    await send(study.files);
    // The build holds the study's lock (about a tenth of a second here); its value begins with the holder's pid.
    const lockKey = `mammocad:study:${study.studyUid}:lock`;
    const holder = await waitFor('the report build under way', async () => (await p.client.get(lockKey)) ?? undefined, 20000, 1);
    const pid = Number(holder.split(':')[0]);
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    const killed = workers.find((w) => w.child.pid === pid)!;
    await killed.exited;
    // Killed before it finished the build: otherwise this run did not test the dead holder.
    expect(killed.log()).not.toContain('"message":"study reported"');
    await waitFor('study exported', exported(study.studyUid), 30000, 200);
    // Until 2026-12-07 the dead holder's lock kept the study for two minutes; now it lapses with the stall window (2 s).
    expect(Date.now() - killedAt).toBeLessThan(20000);
    expect(workers.find((w) => w !== killed)!.log()).toContain('"message":"study reported"');
    expect(p.scp.files()).toHaveLength(3);
  });

  it('private Redis (append-only) restarted mid-study: the study completes', async () => {
    p.nodes.push(await startChildReceiverNode(p.env));
    p.nodes.push(await startChildWorker(p.env));
    const study = writeFourViews(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-views-')));
    await send(study.files.slice(0, 2));
    await p.redis.stop();
    p.redis = await startEmbeddedRedis(path.join(p.dataDir, 'redis'), { port: p.redis.port });
    await send(study.files.slice(2));
    await waitFor('study exported', exported(study.studyUid), 60000, 200);
    const findings = await p.state.findings(study.studyUid);
    expect(findings.size).toBe(4);
    expect(p.scp.files()).toHaveLength(3);
    expect(p.scp.storeRequests()).toBe(3);
  });

  it('node restarted between receive and report: the report and exports still happen', async () => {
    const receiver = await startChildReceiverNode({ ...p.env, MAMMOCAD_SETTLE_SECONDS: '6' });
    const worker = await startChildWorker({ ...p.env, MAMMOCAD_SETTLE_SECONDS: '6' });
    const study = writeFourViews(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-views-')));
    await send(study.files);
    await receiver.kill('SIGKILL');
    await worker.kill('SIGKILL');
    expect((await p.state.summary(study.studyUid))?.reportCount ?? 0).toBe(0);
    p.nodes.push(await startChildReceiverNode(p.env));
    p.nodes.push(await startChildWorker(p.env));
    await waitFor('study exported', exported(study.studyUid), 60000, 200);
    expect(p.scp.files()).toHaveLength(3);
    expect(p.scp.storeRequests()).toBe(3);
  });

  it('scale-out: two receivers and two workers (separate processes) share one Redis and one spool', async () => {
    const otherPort = await freePort();
    p.nodes.push(await startChildReceiverNode(p.env), await startChildReceiverNode({ ...p.env, MAMMOCAD_DICOM_PORT: String(otherPort) }));
    const workers = [await startChildWorker(p.env), await startChildWorker(p.env)];
    p.nodes.push(...workers);
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
    expect(p.scp.files()).toHaveLength(3);
    expect(p.scp.storeRequests()).toBe(3);
    expect(await p.state.instances(study.studyUid)).toHaveLength(4);
  });
});
