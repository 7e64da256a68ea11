import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { startAllInOne } from '../../../src/cli/roles/allInOne';
import { configSchema } from '../../../src/config/schema';
import { probeRedis } from '../../../src/redis/connection';

describe('all-in-one start-up that fails', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-aio-fail-'));
  const busy = net.createServer();
  beforeAll(() => new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve)));
  afterAll(() => {
    busy.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names the busy DICOM port and its setting, and leaves no redis-server of its own running', async () => {
    const port = (busy.address() as net.AddressInfo).port;
    const config = configSchema.parse({ dataDir: dir, dicomPort: port, receiver: { minFreeDiskMb: 1 } });
    await expect(startAllInOne(config)).rejects.toThrow(
      `DICOM port ${port} is in use: set MAMMOCAD_DICOM_PORT`,
    );
    // The embedded Redis it started wrote its URL here; nothing may answer there any more.
    const url = fs.readFileSync(path.join(dir, 'redis.url'), 'utf8').trim();
    const client = probeRedis(url, 1000);
    await expect(client.connect()).rejects.toThrow();
    client.disconnect();
  });
});
