import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type Redis from 'ioredis';
import { logger } from '../../../src/log/logger';
import { registry } from '../../../src/metrics/metrics';
import { measureClockSkew, watchClockSkew } from '../../../src/redis/clockSkew';
import { connectRedis } from '../../../src/redis/connection';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../../src/redis/embeddedRedis';

describe('clock skew against the Redis server (real redis-server)', () => {
  let dir: string;
  let server: EmbeddedRedis;
  let redis: Redis;
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-clock-'));
    server = await startEmbeddedRedis(path.join(dir, 'redis'));
    redis = connectRedis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => (warn = jest.spyOn(logger, 'warn').mockImplementation(() => logger)));
  afterEach(() => warn.mockRestore());

  it('is about zero on the same machine, and follows a clock set ahead or behind', async () => {
    expect(Math.abs(await measureClockSkew(redis))).toBeLessThan(100);
    expect(await measureClockSkew(redis, () => Date.now() + 90_000)).toBeGreaterThan(89_900);
    expect(await measureClockSkew(redis, () => Date.now() - 5000)).toBeLessThan(-4900);
  });

  const skewWarnings = () => warn.mock.calls.filter((c) => c[0] === 'clock differs from the Redis server');
  const gauge = async () => (await registry.getSingleMetric('mammocad_clock_skew_seconds')!.get()).values[0].value;

  it('a machine a minute behind warns once at start and sets the gauge', async () => {
    const stop = watchClockSkew(redis, () => Date.now() - 60_000);
    await new Promise((r) => setTimeout(r, 200));
    stop();
    expect(skewWarnings()).toHaveLength(1);
    expect(skewWarnings()[0][1].skewMs).toBeLessThan(-59_900);
    expect(await gauge()).toBeCloseTo(-60, 0);
  });

  it('a clock in time sets the gauge and does not warn', async () => {
    const stop = watchClockSkew(redis);
    await new Promise((r) => setTimeout(r, 200));
    stop();
    expect(skewWarnings()).toHaveLength(0);
    expect(Math.abs(await gauge())).toBeLessThan(0.1);
  });
});
