import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startReceiverRole, ReceiverRole } from '../../../src/cli/roles/receiver';
import { startEmbeddedRedis, EmbeddedRedis } from '../../../src/redis/embeddedRedis';
import { instanceJobId } from '../../../src/store/instanceJobs';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';
import { testConfig } from '../../helpers/receiverHarness';

jest.setTimeout(90000);

/** Runs storescu over `files`, calling `onFirstResponse` once the first store is answered. */
function storeWhile(
  port: number,
  files: string[],
  onFirstResponse: () => void,
): Promise<Map<string, string>> {
  return new Promise((resolve) => {
    const child = spawn('storescu', ['-v', '-nh', '-aec', 'MAMMOCAD', '127.0.0.1', String(port), ...files]);
    let output = '';
    let fired = false;
    const onData = (d: Buffer) => {
      output += d;
      if (!fired && /Received Store Response/.test(output)) {
        fired = true;
        onFirstResponse();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
    child.on('close', () => {
      clearTimeout(timer);
      // Pair each "Sending file" with the response that follows it.
      const statuses = new Map<string, string>();
      let current: string | undefined;
      for (const line of output.split('\n')) {
        const sending = /Sending file: (.*)$/.exec(line);
        if (sending) current = sending[1].trim();
        const response = /Received Store Response \(([^)]*)\)/.exec(line);
        if (response && current) statuses.set(current, response[1]);
      }
      resolve(statuses);
    });
  });
}

describe('receiver: Redis stopped while storing', () => {
  let redis: EmbeddedRedis | undefined;
  let role: ReceiverRole | undefined;
  const config = testConfig();
  afterAll(async () => {
    await role?.stop();
    await redis?.stop();
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  });

  it('loses no image answered Success once Redis is back, and queues the refused ones from the spool', async () => {
    const redisDir = path.join(config.dataDir, 'redis');
    redis = await startEmbeddedRedis(redisDir);
    role = await startReceiverRole(config, redis.url, { host: '127.0.0.1', enqueueTimeoutMs: 300 });
    const studyUid = testUid();
    const fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-outage-'));
    const images = Array.from({ length: 40 }, () => writeMgFixture(fixtures, { studyUid }));
    const down = redis;
    let stopped: Promise<void> | undefined;
    const statuses = await storeWhile(
      role.port,
      images.map((i) => i.file),
      () => (stopped = down.stop()),
    );
    await stopped;
    const successes = images.filter((i) => statuses.get(i.file) === 'Success');
    const refused = images.filter((i) => statuses.get(i.file) !== 'Success');
    expect(statuses.size).toBe(images.length);
    // The outage really hit during the transfer: some stores were answered before, some refused.
    expect(successes.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const image of refused) expect(statuses.get(image.file)).toMatch(/Refused|OutOfResources|A700/i);

    redis = await startEmbeddedRedis(redisDir, { port: down.port });
    const deadline = Date.now() + 30000;
    let missing = images;
    while (missing.length > 0 && Date.now() < deadline) {
      const found = await Promise.all(
        missing.map((i) =>
          role!.queue.getJob('instance.analyse', instanceJobId(i.sopInstanceUid)).catch(() => undefined),
        ),
      );
      missing = missing.filter((_, k) => !found[k]);
      if (missing.length > 0) await new Promise((r) => setTimeout(r, 200));
    }
    // Every image answered Success has its job; so has every refused one that reached the spool.
    expect(missing.map((i) => i.sopInstanceUid)).toEqual([]);
    fs.rmSync(fixtures, { recursive: true, force: true });
  });
});
