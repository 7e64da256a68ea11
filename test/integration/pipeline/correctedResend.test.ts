import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { StudyStateStore } from '../../../src/pipeline/studyStateStore';
import { instancePath } from '../../../src/store/spoolPaths';
import { startEmbeddedRedis, EmbeddedRedis } from '../../../src/redis/embeddedRedis';
import { freePort } from '../../../src/redis/freePort';
import { ChildNode, startChildReceiverNode, startChildWorker } from '../../helpers/childNode';
import { waitFor } from '../../helpers/childProcess';
import { datasetDump, runTool, storeStatuses } from '../../helpers/dcmtkTools';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';
import { startStoreScp, StoreScp } from '../../helpers/storescp';

jest.setTimeout(120000);

describe('a study sent again with corrected patient data (real processes, Redis, storescp)', () => {
  let dataDir: string;
  let redis: EmbeddedRedis;
  let client: Redis;
  let scp: StoreScp;
  let dicomPort: number;
  const nodes: ChildNode[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-corrected-'));
    redis = await startEmbeddedRedis(path.join(dataDir, 'redis'));
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    scp = await startStoreScp({ aeTitle: 'PACS' });
    dicomPort = await freePort();
    const env = {
      MAMMOCAD_DATA_DIR: dataDir,
      MAMMOCAD_REDIS_URL: redis.url,
      MAMMOCAD_DICOM_PORT: String(dicomPort),
      MAMMOCAD_DESTINATIONS: scp.destination,
      MAMMOCAD_SETTLE_SECONDS: '1',
      MAMMOCAD_TEST_ANALYSIS_MS: '100',
    };
    nodes.push(await startChildReceiverNode(env), await startChildWorker(env));
  });
  afterAll(async () => {
    for (const n of nodes.splice(0)) await n.kill();
    client?.disconnect();
    await redis?.stop();
    await scp?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const send = async (files: string[]) => {
    const run = await runTool('storescu', ['-v', '-aec', 'MAMMOCAD', '127.0.0.1', String(dicomPort), ...files]);
    expect(storeStatuses(run.output)).toEqual(files.map(() => 'Success'));
  };
  const summary = (studyUid: string) => new StudyStateStore(client).summary(studyUid);
  const exportedBuild = (studyUid: string, builds: number) => async () => {
    const s = await summary(studyUid);
    return s?.reportCount === builds && s.phase === 'exported' ? s : undefined;
  };
  /** Patient ID of the newest Mammography CAD SR the PACS holds. */
  const patientIdAtPacs = async () => {
    const srs = scp.files().filter((f) => path.basename(f).startsWith('SR'));
    const newest = srs.sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs).at(-1)!;
    return /\(0010,0020\) LO \[([^\]]*)\]/.exec(await datasetDump(newest))![1];
  };

  it('the corrected copies replace the stored ones and the objects are built and sent again with the corrected ID; the same copies again change nothing', async () => {
    const studyUid = testUid();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-views-'));
    const views = (['L', 'R'] as const).map((laterality) => ({ laterality, sopInstanceUid: testUid(), seriesUid: testUid() }));
    const wrong = views.map((v) => writeMgFixture(path.join(dir, 'wrong'), { studyUid, ...v, patientId: 'WRONG-1' }));
    await send(wrong.map((w) => w.file));
    await waitFor('first build exported', exportedBuild(studyUid, 1), 60000, 200);
    expect(await patientIdAtPacs()).toBe('WRONG-1');
    const requestsAfterFirst = scp.storeRequests();

    const corrected = views.map((v) => writeMgFixture(path.join(dir, 'corrected'), { studyUid, ...v, patientId: 'RIGHT-2' }));
    await send(corrected.map((c) => c.file));
    await waitFor('second build exported', exportedBuild(studyUid, 2), 60000, 200);
    expect(await patientIdAtPacs()).toBe('RIGHT-2');
    expect(scp.storeRequests()).toBe(2 * requestsAfterFirst);
    for (const v of views) expect(await datasetDump(instancePath(dataDir, studyUid, v.sopInstanceUid))).toContain('[RIGHT-2]');
    expect(nodes[0].log()).toMatch(/"outcome":"replaced"/);

    // The same corrected copies once more: duplicates, nothing rebuilt or re-sent.
    await send(corrected.map((c) => c.file));
    await new Promise((r) => setTimeout(r, 3000));
    expect((await summary(studyUid))!.reportCount).toBe(2);
    expect(scp.storeRequests()).toBe(2 * requestsAfterFirst);
  });
});
