import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { JobQueue } from '../../../src/queue/jobQueue';
import { startEmbeddedRedis, EmbeddedRedis } from '../../../src/redis/embeddedRedis';
import { instanceJobId } from '../../../src/store/instanceJobs';
import { instancePath } from '../../../src/store/spoolPaths';
import { StudyIndex } from '../../../src/store/studyIndex';
import { ChildReceiver, startChildReceiver } from '../../helpers/childReceiver';
import { runTool, storeStatuses } from '../../helpers/dcmtkTools';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';

jest.setTimeout(120000);

describe('receiver process: restart and kill', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-restart-'));
  const fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-restart-fx-'));
  let redis: EmbeddedRedis;
  let queue: JobQueue;
  let client: Redis;
  let node: ChildReceiver | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await startEmbeddedRedis(path.join(dataDir, 'redis'));
    queue = new JobQueue(redis.url, { attempts: 1, backoffMs: 100 });
    client = new Redis(redis.url);
    env = { MAMMOCAD_DATA_DIR: dataDir, MAMMOCAD_REDIS_URL: redis.url };
  });
  afterAll(async () => {
    node?.child.kill('SIGKILL');
    await queue.close();
    client.disconnect();
    await redis.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(fixtures, { recursive: true, force: true });
  });

  it('re-queues at start-up the spooled images whose jobs are missing, but not finished ones', async () => {
    node = await startChildReceiver(env);
    const studyUid = testUid();
    const images = [0, 1, 2].map(() => writeMgFixture(fixtures, { studyUid }));
    const run = await runTool('storescu', [
      '-v',
      '-aec',
      'MAMMOCAD',
      '127.0.0.1',
      String(node.port),
      ...images.map((i) => i.file),
    ]);
    expect(storeStatuses(run.output)).toEqual(['Success', 'Success', 'Success']);
    node.child.kill('SIGKILL');
    await node.exited;

    // Redis loses the jobs (say, restored from an old backup); one image had finished analysis.
    await queue.queue('instances').obliterate({ force: true });
    for (const i of images)
      expect(await queue.getJob('instance.analyse', instanceJobId(i.sopInstanceUid))).toBeUndefined();
    const index = new StudyIndex(client);
    const finished = images[2];
    await index.markReceived(studyUid, {
      sopInstanceUid: finished.sopInstanceUid,
      seriesUid: finished.seriesUid,
      sopClassUid: finished.sopClassUid,
      path: instancePath(dataDir, studyUid, finished.sopInstanceUid),
    });
    await index.setState(studyUid, finished.sopInstanceUid, 'analysed');

    node = await startChildReceiver(env);
    expect(node.log()).toMatch(/"queued":2/);
    for (const i of images.slice(0, 2)) {
      const job = await queue.getJob('instance.analyse', instanceJobId(i.sopInstanceUid));
      expect(job?.data).toMatchObject({
        studyUid,
        sopInstanceUid: i.sopInstanceUid,
        seriesUid: i.seriesUid,
        callingAe: 'STORESCU',
      });
    }
    expect(await queue.getJob('instance.analyse', instanceJobId(finished.sopInstanceUid))).toBeUndefined();

    // Graceful stop on SIGTERM.
    node.child.kill('SIGTERM');
    expect(await node.exited).toBe(0);
    node = undefined;
  });

  it('storescu killed with -9 in the middle of a large image leaves no file and no job', async () => {
    node = await startChildReceiver(env);
    const big = writeMgFixture(fixtures, { rows: 4096, columns: 3328 });
    const incoming = path.join(dataDir, 'spool', '.incoming');
    const sender = spawn('storescu', ['-aec', 'MAMMOCAD', '127.0.0.1', String(node.port), big.file], {
      stdio: 'ignore',
    });
    // Kill it once the receiver has started writing the image, well before the end.
    const deadline = Date.now() + 20000;
    let killedAt = -1;
    while (Date.now() < deadline && killedAt < 0) {
      const parts = fs.existsSync(incoming) ? fs.readdirSync(incoming) : [];
      const size = parts.length
        ? (fs.statSync(path.join(incoming, parts[0]), { throwIfNoEntry: false })?.size ?? 0)
        : 0;
      if (size > 0) {
        sender.kill('SIGKILL');
        killedAt = size;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(fs.statSync(big.file).size);
    for (let i = 0; i < 100 && fs.readdirSync(incoming).length > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(fs.readdirSync(incoming)).toEqual([]);
    expect(fs.existsSync(instancePath(dataDir, big.studyUid, big.sopInstanceUid))).toBe(false);
    expect(await queue.getJob('instance.analyse', instanceJobId(big.sopInstanceUid))).toBeUndefined();
    const echo = await runTool('echoscu', ['-aec', 'MAMMOCAD', '127.0.0.1', String(node.port)]);
    expect(echo.code).toBe(0);
    node.child.kill('SIGTERM');
    expect(await node.exited).toBe(0);
    node = undefined;
  });
});
