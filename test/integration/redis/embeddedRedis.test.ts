import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { startEmbeddedRedis } from '../../../src/redis/embeddedRedis';

describe('embedded redis', () => {
  it('starts on a free loopback port, persists with AOF across a restart, and stops', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-redis-'));
    const first = await startEmbeddedRedis(dir);
    const client = new Redis(first.url);
    await client.set('mammocad:test', 'kept');
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    await client.quit();
    await first.stop();

    const second = await startEmbeddedRedis(dir);
    const again = new Redis(second.url);
    expect(await again.get('mammocad:test')).toBe('kept');
    await again.quit();
    await second.stop();
    const gone = new Redis(second.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    gone.on('error', () => undefined);
    await expect(gone.connect()).rejects.toThrow();
  });
});
