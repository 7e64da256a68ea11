import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAuditRepository } from '../../../src/audit/auditRepository';
import { syslogMessage } from '../../../src/audit/syslogMessage';
import { createSyslogSender } from '../../../src/audit/syslogSender';
import { tlsOptionsFromConfig } from '../../../src/tls/tlsOptions';
import { logger } from '../../../src/log/logger';
import { auditMessagesTotal } from '../../../src/metrics/metrics';
import { freePort } from '../../../src/redis/freePort';
import { waitFor } from '../../helpers/childProcess';
import { startRsyslog } from '../../helpers/rsyslog';
import { makeSelfSignedCert } from '../../helpers/selfSignedCert';

jest.setTimeout(60000);

const origin = { hostname: 'cad1', appName: 'mammocad', procId: '1' };
const auditMessages = async (outcome: string) => (await auditMessagesTotal.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
const message = (n: number) => syslogMessage(`<AuditMessage>message ${n}</AuditMessage>`, origin, new Date());

/** Delivery to rsyslog as the audit record repository when it is down, and when TLS fails. */
describe('syslog sender', () => {
  let dir: string;
  let warn: jest.SpyInstance;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-syslog-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => (warn = jest.spyOn(logger, 'warn')));
  afterEach(() => warn.mockRestore());

  it('TCP: messages wait while the repository is down (one warning), and arrive in order once it is up', async () => {
    const port = await freePort();
    const sentBefore = await auditMessages('sent');
    const sender = createSyslogSender(parseAuditRepository(`tcp://127.0.0.1:${port}`), () => ({}));
    for (let n = 1; n <= 3; n++) sender.send(message(n));
    await waitFor('the warning', () => (warn.mock.calls.length > 0 ? true : undefined), 5000);
    const repository = await startRsyslog('tcp', undefined, port);
    try {
      sender.send(message(4));
      const got = await waitFor('messages delivered', () => (repository.messages().length >= 4 ? repository.messages() : undefined), 15000, 100);
      expect(got.map((m) => m.xml)).toEqual([1, 2, 3, 4].map((n) => `<AuditMessage>message ${n}</AuditMessage>`));
      expect(warn.mock.calls.map((c) => c[0])).toEqual(['audit repository unreachable; audit messages wait']);
      expect((await auditMessages('sent')) - sentBefore).toBe(4);
      expect(warn.mock.calls[0][1]).toMatchObject({ repository: `tcp://127.0.0.1:${port}`, error: expect.stringContaining('ECONNREFUSED') });
    } finally {
      await sender.close(1000);
      await repository.stop();
    }
  });

  it('TLS: a repository that requires our certificate gets nothing from a node without one, nor from one that does not trust it', async () => {
    const repositoryCert = makeSelfSignedCert(dir, 'repository');
    const nodeCert = makeSelfSignedCert(dir, 'node');
    const stranger = makeSelfSignedCert(dir, 'stranger');
    const repository = await startRsyslog('tls', { caFile: nodeCert.certFile, ...repositoryCert });
    try {
      const withoutCert = createSyslogSender(parseAuditRepository(repository.url), () => tlsOptionsFromConfig({ enabled: false, caFile: repositoryCert.certFile, certFile: '', keyFile: '' }));
      withoutCert.send(message(1));
      // The node checks the repository's certificate too: signed by a CA it was not given, refused.
      const untrusting = createSyslogSender(
        parseAuditRepository(repository.url),
        () => tlsOptionsFromConfig({ enabled: false, caFile: stranger.certFile, certFile: nodeCert.certFile, keyFile: nodeCert.keyFile }),
      );
      untrusting.send(message(2));
      await waitFor('both warnings', () => (warn.mock.calls.length >= 2 ? true : undefined), 10000);
      const droppedBefore = await auditMessages('dropped');
      await Promise.all([withoutCert.close(500), untrusting.close(500)]);
      // The message behind the failed handshake was never written: dropped at stop, and counted.
      expect((await auditMessages('dropped')) - droppedBefore).toBe(1);
      expect(repository.messages()).toEqual([]);
      expect(warn.mock.calls.map((c) => c[1].error).join('\n')).toMatch(/self-signed certificate|unable to verify/);

      const trusted = createSyslogSender(
        parseAuditRepository(repository.url),
        () => tlsOptionsFromConfig({ enabled: false, caFile: repositoryCert.certFile, certFile: nodeCert.certFile, keyFile: nodeCert.keyFile }),
      );
      trusted.send(message(3));
      await waitFor('delivered', () => (repository.messages().length > 0 ? true : undefined), 10000);
      await trusted.close(1000);
      expect(repository.messages().map((m) => m.xml)).toEqual(['<AuditMessage>message 3</AuditMessage>']);

      // The files are read at each connection: a CA file put right while messages wait is used
      // at the next retry, without a restart.
      const renewing = path.join(dir, 'renewing-ca.pem');
      fs.copyFileSync(stranger.certFile, renewing);
      const renewed = createSyslogSender(
        parseAuditRepository(repository.url),
        () => tlsOptionsFromConfig({ enabled: false, caFile: renewing, certFile: nodeCert.certFile, keyFile: nodeCert.keyFile }),
      );
      renewed.send(message(4));
      await waitFor('the refusal', () => (warn.mock.calls.length >= 3 ? true : undefined), 10000);
      fs.copyFileSync(repositoryCert.certFile, renewing);
      await waitFor('delivered after the renewal', () => (repository.messages().length > 1 ? true : undefined), 10000);
      await renewed.close(1000);
      expect(repository.messages().map((m) => m.xml)).toEqual([3, 4].map((n) => `<AuditMessage>message ${n}</AuditMessage>`));
    } finally {
      await repository.stop();
    }
  });
});
