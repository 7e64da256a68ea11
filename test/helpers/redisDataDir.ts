import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/redis/embeddedRedis';

/** A data folder with a private redis-server in it, for the tests of one describe block. */
export interface RedisDataDir {
  dir: string;
  redis: EmbeddedRedis;
}

/**
 * Registers beforeAll/afterAll that make a temporary data folder (named after `name`) with an
 * embedded Redis, and remove both; read the fields inside the tests.
 */
export function useRedisDataDir(name: string): RedisDataDir {
  const shared = {} as RedisDataDir;
  beforeAll(async () => {
    shared.dir = fs.mkdtempSync(path.join(os.tmpdir(), `mc-${name}-`));
    shared.redis = await startEmbeddedRedis(path.join(shared.dir, 'redis'));
  });
  afterAll(async () => {
    await shared.redis?.stop();
    if (shared.dir) fs.rmSync(shared.dir, { recursive: true, force: true });
  });
  return shared;
}
