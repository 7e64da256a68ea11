import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { instanceReceivedHandler } from '../../../src/pipeline/instanceReceived';
import { EmbeddedRedis, startEmbeddedRedis } from '../../../src/redis/embeddedRedis';
import { StudyIndex } from '../../../src/store/studyIndex';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';

describe('study index and the instance-received handler', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-index-'));
  let redis: EmbeddedRedis;
  let client: Redis;
  let index: StudyIndex;

  beforeAll(async () => {
    redis = await startEmbeddedRedis(path.join(dir, 'redis'));
    client = new Redis(redis.url);
    index = new StudyIndex(client);
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('indexes a spooled image as received with its series, laterality and view, and no patient data', async () => {
    const fx = writeMgFixture(path.join(dir, 'spool'), { laterality: 'R', viewPosition: 'MLO' });
    const handler = instanceReceivedHandler(index);
    const payload = {
      studyUid: fx.studyUid,
      seriesUid: fx.seriesUid,
      sopInstanceUid: fx.sopInstanceUid,
      sopClassUid: fx.sopClassUid,
      path: fx.file,
    };
    await handler(payload, {} as any);
    const study = await index.getStudy(fx.studyUid);
    expect(study).toEqual([
      {
        sopInstanceUid: fx.sopInstanceUid,
        seriesUid: fx.seriesUid,
        sopClassUid: fx.sopClassUid,
        path: fx.file,
        laterality: 'R',
        view: 'MLO',
        state: 'received',
        updatedAt: expect.any(Number),
      },
    ]);
    expect(await index.studies()).toContain(fx.studyUid);
    const raw = JSON.stringify(await client.hgetall(`mammocad:study-index:${fx.studyUid}`));
    expect(raw).not.toMatch(/Synthetic|SYNTH-0001/);

    // A job whose file holds another instance fails instead of indexing the wrong thing.
    await expect(handler({ ...payload, sopInstanceUid: testUid() }, {} as any)).rejects.toThrow(
      /does not hold/,
    );
  });

  it('moves an instance to analysed or failed, and a re-run of "received" does not undo that', async () => {
    const studyUid = testUid();
    const entry = {
      sopInstanceUid: testUid(),
      seriesUid: testUid(),
      sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2',
      path: '/x.dcm',
    };
    expect(await index.markReceived(studyUid, entry)).toBe(true);
    expect(await index.isFinished(studyUid, entry.sopInstanceUid)).toBe(false);
    await index.setState(studyUid, entry.sopInstanceUid, 'failed', 'not analysable: no pixel spacing');
    expect(await index.getInstance(studyUid, entry.sopInstanceUid)).toMatchObject({
      state: 'failed',
      reason: 'not analysable: no pixel spacing',
    });
    expect(await index.markReceived(studyUid, entry)).toBe(false);
    expect((await index.getInstance(studyUid, entry.sopInstanceUid))?.state).toBe('failed');
    expect(await index.isFinished(studyUid, entry.sopInstanceUid)).toBe(true);
    await expect(index.setState(studyUid, testUid(), 'analysed')).rejects.toThrow(/not in the index/);
  });
});
