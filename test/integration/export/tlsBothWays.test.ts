import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startReceiverRole, ReceiverRole } from '../../../src/cli/roles/receiver';
import { configSchema } from '../../../src/config/schema';
import { StoreNetworkError } from '../../../src/export/storeErrors';
import { storeFiles, storeFilesOrThrow } from '../../../src/export/storeScu';
import { tlsOptionsFromConfig } from '../../../src/export/tlsOptions';
import { startEmbeddedRedis, EmbeddedRedis } from '../../../src/redis/embeddedRedis';
import { instancePath } from '../../../src/store/spoolPaths';
import { runTool, storeStatuses } from '../../helpers/dcmtkTools';
import { writeMgFixture } from '../../helpers/mgFixture';
import { makeSelfSignedCert } from '../../helpers/selfSignedCert';

jest.setTimeout(60000);

describe('DICOM over TLS into the node (the receiver) — the export direction is in storeScu.test.ts', () => {
  let dir: string;
  let redis: EmbeddedRedis;
  let role: ReceiverRole;
  let cert: { keyFile: string; certFile: string };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-tls-'));
    cert = makeSelfSignedCert(dir, 'mammocad');
    redis = await startEmbeddedRedis(path.join(dir, 'redis'));
    const config = configSchema.parse({
      dataDir: path.join(dir, 'node'),
      dicomPort: 0,
      receiver: { minFreeDiskMb: 0 },
      tls: { enabled: true, certFile: cert.certFile, keyFile: cert.keyFile },
    });
    role = await startReceiverRole(config, redis.url, { host: '127.0.0.1' });
  });
  afterAll(async () => {
    await role?.stop();
    await redis?.stop();
  });

  it('accepts C-STORE over TLS from dcmtk storescu and from our own SCU, stores durably; plain TCP gets nowhere', async () => {
    const a = writeMgFixture(dir);
    const run = await runTool('storescu', ['-v', '+tls', cert.keyFile, cert.certFile, '+cf', cert.certFile, '-aec', 'MAMMOCAD', '127.0.0.1', String(role.port), a.file]);
    expect({ statuses: storeStatuses(run.output), output: run.output.slice(-1500) }).toMatchObject({ statuses: ['Success'] });
    expect(fs.existsSync(instancePath(path.join(dir, 'node'), a.studyUid, a.sopInstanceUid))).toBe(true);

    const b = writeMgFixture(dir);
    const tls = tlsOptionsFromConfig({ enabled: true, certFile: '', keyFile: '', caFile: cert.certFile });
    const endpoint = { aeTitle: 'MAMMOCAD', host: '127.0.0.1', port: role.port };
    const [result] = await storeFilesOrThrow(endpoint, [b.file], { callingAeTitle: 'MODALITY', timeoutMs: 10000, tls });
    expect(result.outcome).toBe('delivered');
    expect(fs.existsSync(instancePath(path.join(dir, 'node'), b.studyUid, b.sopInstanceUid))).toBe(true);

    const plain = await storeFiles(endpoint, [b.file], { callingAeTitle: 'MODALITY', timeoutMs: 3000 }).catch((e) => e);
    expect(plain).toBeInstanceOf(Error);
    expect(plain instanceof StoreNetworkError || plain.name === 'StoreTimeoutError').toBe(true);
  });
});
