import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type Redis from 'ioredis';
import { logger } from '../../../src/log/logger';
import { withStudyLock } from '../../../src/pipeline/studyLock';
import { StudyStateStore } from '../../../src/pipeline/studyStateStore';
import { connectRedis } from '../../../src/redis/connection';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../../src/redis/embeddedRedis';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the study lock around a report build (real redis-server)', () => {
  let dir: string;
  let server: EmbeddedRedis;
  let redis: Redis;
  let state: StudyStateStore;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-studylock-'));
    server = await startEmbeddedRedis(path.join(dir, 'redis'));
    redis = connectRedis(server.url);
    state = new StudyStateStore(redis);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a build longer than the lapse keeps the study (renewed), a second holder waits, and the lock is freed after', async () => {
    const second: Array<string | undefined> = [];
    const first = withStudyLock(state, '1.2.3', 'a', 300, async () => {
      await sleep(1000);
      second.push(await withStudyLock(state, '1.2.3', 'b', 300, async () => 'built by b'));
      return 'built by a';
    });
    expect(await first).toBe('built by a');
    expect(second).toEqual([undefined]);
    expect(await redis.exists('mammocad:study:1.2.3:lock')).toBe(0);
    expect(await withStudyLock(state, '1.2.3', 'b', 300, async () => 'built by b')).toBe('built by b');
  });

  it("a holder that stops renewing (a dead worker's lock) frees the study once the lapse has passed", async () => {
    expect(await state.tryLock('1.2.4', 'dead', 300)).toBe(true);
    expect(await withStudyLock(state, '1.2.4', 'b', 300, async () => 'built')).toBeUndefined();
    await sleep(400);
    expect(await withStudyLock(state, '1.2.4', 'b', 300, async () => 'built')).toBe('built');
  });

  it('says so when the lock is lost during the build (Redis lost the key), and frees only its own lock', async () => {
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => logger);
    try {
      await withStudyLock(state, '1.2.5', 'a', 300, async () => {
        await redis.del('mammocad:study:1.2.5:lock');
        expect(await state.tryLock('1.2.5', 'c', 5000)).toBe(true);
        await sleep(300);
      });
      expect(warn).toHaveBeenCalledWith('study lock lapsed during a report build', { studyUid: '1.2.5' });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(await redis.get('mammocad:study:1.2.5:lock')).toBe('c');
    } finally {
      warn.mockRestore();
    }
  });
});
