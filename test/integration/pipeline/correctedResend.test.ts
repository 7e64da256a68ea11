import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startEmbeddedRedis } from '../../../src/redis/embeddedRedis';
import { instancePath } from '../../../src/store/spoolPaths';
import { startChildReceiverNode, startChildWorker } from '../../helpers/childNode';
import { ChildPipeline, startChildPipeline } from '../../helpers/childPipeline';
import { waitFor } from '../../helpers/childProcess';
import { datasetDump, runTool, storeStatuses } from '../../helpers/dcmtkTools';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';

jest.setTimeout(120000);

describe('a study sent again with corrected patient data (real processes, Redis, storescp)', () => {
  let p: ChildPipeline;
  beforeAll(async () => {
    p = await startChildPipeline('corrected');
    p.nodes.push(await startChildReceiverNode(p.env), await startChildWorker(p.env));
  });
  afterAll(() => p?.stop());

  const send = (files: string[]) => p.send(files);
  const summary = (studyUid: string) => p.state.summary(studyUid);
  /** Patient ID of the newest Mammography CAD SR the PACS holds. */
  const patientIdAtPacs = async () => {
    const srs = p.scp.files().filter((f) => path.basename(f).startsWith('SR'));
    const newest = srs.sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs).at(-1)!;
    return /\(0010,0020\) LO \[([^\]]*)\]/.exec(await datasetDump(newest))![1];
  };

  it('the corrected copies replace the stored ones and the objects are built and sent again with the corrected ID; the same copies again change nothing', async () => {
    const studyUid = testUid();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-views-'));
    const views = (['L', 'R'] as const).map((laterality) => ({ laterality, sopInstanceUid: testUid(), seriesUid: testUid() }));
    const wrong = views.map((v) => writeMgFixture(path.join(dir, 'wrong'), { studyUid, ...v, patientId: 'WRONG-1' }));
    await send(wrong.map((w) => w.file));
    await waitFor('first build exported', p.phaseAfterBuilds(studyUid, 'exported', 1), 60000, 200);
    expect(await patientIdAtPacs()).toBe('WRONG-1');
    const requestsAfterFirst = p.scp.storeRequests();

    const corrected = views.map((v) => writeMgFixture(path.join(dir, 'corrected'), { studyUid, ...v, patientId: 'RIGHT-2' }));
    await send(corrected.map((c) => c.file));
    await waitFor('second build exported', p.phaseAfterBuilds(studyUid, 'exported', 2), 60000, 200);
    expect(await patientIdAtPacs()).toBe('RIGHT-2');
    expect(p.scp.storeRequests()).toBe(2 * requestsAfterFirst);
    for (const v of views) expect(await datasetDump(instancePath(p.dataDir, studyUid, v.sopInstanceUid))).toContain('[RIGHT-2]');
    expect(p.nodes[0].log()).toMatch(/"outcome":"replaced"/);

    // The same corrected copies once more: duplicates, nothing rebuilt or re-sent.
    await send(corrected.map((c) => c.file));
    await new Promise((r) => setTimeout(r, 3000));
    expect((await summary(studyUid))!.reportCount).toBe(2);
    expect(p.scp.storeRequests()).toBe(2 * requestsAfterFirst);
  });

  it('a corrected copy whose rebuild was never queued (Redis away, then the receiver killed) is still built', async () => {
    const studyUid = testUid();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-views-'));
    const view = { laterality: 'L' as const, sopInstanceUid: testUid(), seriesUid: testUid() };
    await send([writeMgFixture(path.join(dir, 'wrong'), { studyUid, ...view, patientId: 'WRONG-3' }).file]);
    await waitFor('first build exported', p.phaseAfterBuilds(studyUid, 'exported', 1), 60000, 200);
    expect(await patientIdAtPacs()).toBe('WRONG-3');

    // The corrected copy replaces the stored file, but the queue is unreachable: the sender is refused.
    const corrected = writeMgFixture(path.join(dir, 'corrected'), { studyUid, ...view, patientId: 'RIGHT-4' });
    await p.redis.stop();
    const refused = await runTool('storescu', ['-v', '-aec', 'MAMMOCAD', '127.0.0.1', String(p.dicomPort), corrected.file]);
    expect(storeStatuses(refused.output)).toEqual(['Refused: OutOfResources']);
    expect(await datasetDump(instancePath(p.dataDir, studyUid, view.sopInstanceUid))).toContain('[RIGHT-4]');

    // The receiver dies before Redis comes back (its commands waiting for Redis die with it). A new
    // one's start-up scan, and the sender's retry (a duplicate of the stored file now), still know.
    await p.nodes[0].kill();
    p.redis = await startEmbeddedRedis(path.join(p.dataDir, 'redis'), { port: p.redis.port });
    p.nodes[0] = await startChildReceiverNode(p.env);
    await send([corrected.file]);
    await waitFor('second build exported', p.phaseAfterBuilds(studyUid, 'exported', 2), 60000, 200);
    expect(await patientIdAtPacs()).toBe('RIGHT-4');
    expect(fs.readdirSync(path.join(p.dataDir, 'spool', studyUid)).filter((n) => n.endsWith('.replacing'))).toEqual([]);
  });
});
