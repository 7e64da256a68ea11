import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startReceiverRole, ReceiverRole } from '../../../src/cli/roles/receiver';
import { configSchema } from '../../../src/config/schema';
import { StoreNetworkError } from '../../../src/export/storeErrors';
import { storeFiles, storeFilesOrThrow } from '../../../src/export/storeScu';
import { tlsOptionsFromConfig } from '../../../src/tls/tlsOptions';
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

  it('serves a renewed certificate without a restart, and keeps the old one when the new files do not load', async () => {
    // storescu trusting only the certificate given: a handshake shows which one the node serves.
    const storeTrusting = async (trusted: string) => {
      const f = writeMgFixture(dir);
      const run = await runTool('storescu', ['-v', '+tla', '+cf', trusted, '-aec', 'MAMMOCAD', '127.0.0.1', String(role.port), f.file]);
      return storeStatuses(run.output);
    };
    const renewedDir = fs.mkdtempSync(path.join(dir, 'renewed-'));
    const renewed = makeSelfSignedCert(renewedDir, 'mammocad-renewed', 365);
    const old = { key: fs.readFileSync(cert.keyFile), cert: fs.readFileSync(cert.certFile) };
    const reload = role.receiver.tlsReload!;
    expect(reload.reloadIfChanged()).toBe('unchanged');

    // The certificate renewed but its key not yet: they do not match, so the old pair stays.
    fs.copyFileSync(renewed.certFile, cert.certFile);
    expect(reload.reloadIfChanged()).toBe('kept');
    fs.writeFileSync(path.join(renewedDir, 'old.cert.pem'), old.cert);
    expect(await storeTrusting(path.join(renewedDir, 'old.cert.pem'))).toEqual(['Success']);

    // Both files renewed: the next association gets the new certificate.
    fs.copyFileSync(renewed.keyFile, cert.keyFile);
    expect(reload.reloadIfChanged()).toBe('reloaded');
    expect(await storeTrusting(renewed.certFile)).toEqual(['Success']);
    expect(await storeTrusting(path.join(renewedDir, 'old.cert.pem'))).toEqual([]);
  });
});
