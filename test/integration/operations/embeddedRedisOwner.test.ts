import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { startAllInOne, startOwnEmbeddedRedis } from '../../../src/cli/roles/allInOne';
import { configSchema } from '../../../src/config/schema';
import { connectRedis, probeRedis } from '../../../src/redis/connection';
import { claimEmbeddedRedisDir, DataDirInUseError } from '../../../src/redis/embeddedRedisOwner';
import { startChildNode, type ChildNode } from '../../helpers/childNode';

jest.setTimeout(60000);

const answers = async (url: string) => {
  const client = probeRedis(url, 1000);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
};

describe("one node per data folder's embedded Redis (real redis-server, a holder in a child process)", () => {
  let dir: string;
  let holder: ChildNode | undefined;
  const config = () => configSchema.parse({ dataDir: dir, dicomPort: 0, receiver: { minFreeDiskMb: 0 } });
  const urlOf = (node: ChildNode) => /holding (\S+)/.exec(node.log())![1];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-owner-'));
    holder = await startChildNode('embeddedRedisHolderProcess.ts', { MAMMOCAD_DATA_DIR: dir, MAMMOCAD_REDIS_URL: '' }, /holding/);
  });
  afterEach(async () => {
    await holder?.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a second node on a data folder in use is refused with who holds it, and the first keeps its Redis', async () => {
    await expect(startAllInOne(config())).rejects.toThrow(
      new RegExp(`^data folder ${dir} is in use by another mammocad node, process ${holder!.child.pid} on ${os.hostname()} \\(since [-0-9T:.Z]+\\): stop it, or give this node its own MAMMOCAD_DATA_DIR$`),
    );
    expect(fs.readFileSync(path.join(dir, 'redis.url'), 'utf8').trim()).toBe(urlOf(holder!));
    expect(await answers(urlOf(holder!))).toBe(true);
  });

  it("a node killed hard leaves its redis-server running; the next start stops it, and its data is what the new one loads", async () => {
    const orphanUrl = urlOf(holder!);
    const writer = connectRedis(orphanUrl);
    await writer.set('mammocad:test:written-before-the-crash', 'kept');
    writer.disconnect();
    await holder!.kill('SIGKILL');
    expect(await answers(orphanUrl)).toBe(true); // the orphan
    holder = undefined;

    const redis = await startOwnEmbeddedRedis(config());
    try {
      expect(await answers(orphanUrl)).toBe(false);
      expect(redis.url).not.toBe(orphanUrl);
      const reader = connectRedis(redis.url);
      expect(await reader.get('mammocad:test:written-before-the-crash')).toBe('kept');
      reader.disconnect();
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'redis', 'owner.json'), 'utf8')).pid).toBe(process.pid);
    } finally {
      await redis.stop();
      redis.release();
    }
    expect(fs.existsSync(path.join(dir, 'redis', 'owner.json'))).toBe(false);
  });
});

describe('claimEmbeddedRedisDir: when a claim is stale', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-claim-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const writeOwner = (owner: object) => fs.writeFileSync(path.join(dir, 'owner.json'), JSON.stringify(owner));

  it('a holder whose process is gone, or whose pid now belongs to a later process, is stale', () => {
    writeOwner({ pid: 2 ** 22 + 1, host: os.hostname(), processStart: '1', since: 'then' });
    claimEmbeddedRedisDir(dir)();
    // A live pid (jest's parent) recorded with another start time: a pid reused after a reboot or in a container.
    writeOwner({ pid: process.ppid, host: os.hostname(), processStart: '1', since: 'then' });
    claimEmbeddedRedisDir(dir)();
  });

  it('a live holder, a holder on another machine, or a second claim in this process is refused', () => {
    const release = claimEmbeddedRedisDir(dir);
    expect(() => claimEmbeddedRedisDir(dir)).toThrow(DataDirInUseError);
    release();
    writeOwner({ pid: 1, host: 'other-host', processStart: null, since: 'then' });
    expect(() => claimEmbeddedRedisDir(dir)).toThrow(`process 1 on other-host (since then): stop it, or give this node its own MAMMOCAD_DATA_DIR; if that node is gone, delete ${path.join(dir, 'owner.json')}`);
  });
});

describe('startOwnEmbeddedRedis: redis.url pointing at something that is not a Redis', () => {
  it('a listener that never answers (the port reused since) does not hold the start up', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-silent-'));
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    fs.writeFileSync(path.join(dir, 'redis.url'), `redis://127.0.0.1:${(silent.address() as net.AddressInfo).port}\n`);
    const started = Date.now();
    const redis = await startOwnEmbeddedRedis(configSchema.parse({ dataDir: dir, dicomPort: 0 }));
    try {
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(await answers(redis.url)).toBe(true);
    } finally {
      await redis.stop();
      redis.release();
      silent.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
