import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { logger } from '../../../src/log/logger';
import { refreshCertificateMetric, warnOfCertificateEnds } from '../../../src/metrics/certificateExpiry';
import { certificateEnds } from '../../../src/tls/certificateEnds';
import { tlsCertificateExpiry } from '../../../src/metrics/metrics';
import { makeSelfSignedCert } from '../../helpers/selfSignedCert';

const DAY = 86_400_000;

/** Certificates made by openssl: ours valid 1 day, a CA bundle of two valid 10 and 400 days. */
describe('TLS certificate end dates', () => {
  let dir: string;
  let tls: { enabled: boolean; certFile: string; keyFile: string; caFile: string };
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-certs-'));
    const node = makeSelfSignedCert(dir, 'node', 1);
    const bundle = path.join(dir, 'ca-bundle.pem');
    fs.writeFileSync(bundle, [makeSelfSignedCert(dir, 'long-ca', 400), makeSelfSignedCert(dir, 'short-ca', 10)].map((c) => fs.readFileSync(c.certFile, 'utf8')).join(''));
    tls = { enabled: true, certFile: node.certFile, keyFile: node.keyFile, caFile: bundle };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds our certificate and the first of the trusted ones to end', () => {
    const ends = certificateEnds(tls);
    expect(ends.map((e) => [e.certificate, e.subject])).toEqual([['certFile', 'CN=node'], ['caFile', 'CN=short-ca']]);
    expect(Math.abs(ends[0].notAfter.getTime() - (Date.now() + DAY))).toBeLessThan(120_000);
    expect(Math.abs(ends[1].notAfter.getTime() - (Date.now() + 10 * DAY))).toBeLessThan(120_000);
  });

  it('leaves out files not configured, and names a file that holds no certificate', () => {
    expect(certificateEnds({ ...tls, certFile: '', caFile: '' })).toEqual([]);
    const notPem = path.join(dir, 'key-only.pem');
    fs.copyFileSync(tls.keyFile, notPem);
    expect(() => certificateEnds({ ...tls, caFile: notPem })).toThrow(`tls.caFile ${notPem} holds no PEM certificate`);
  });

  it('sets the expiry gauge per certificate, and drops a series whose file went away', async () => {
    refreshCertificateMetric(tls);
    const values = async () => Object.fromEntries((await tlsCertificateExpiry.get()).values.map((v) => [v.labels.certificate, v.value]));
    const set = await values();
    expect(Object.keys(set).sort()).toEqual(['caFile', 'certFile']);
    expect(Math.abs(set.caFile * 1000 - (Date.now() + 10 * DAY))).toBeLessThan(120_000);
    refreshCertificateMetric({ ...tls, caFile: path.join(dir, 'gone.pem') });
    expect(await values()).toEqual({});
    refreshCertificateMetric({ ...tls, caFile: '' });
    expect(Object.keys(await values())).toEqual(['certFile']);
  });

  it('warns at start-up of a certificate ending within 30 days, and logs an expired one as an error', () => {
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => logger);
    const error = jest.spyOn(logger, 'error').mockImplementation(() => logger);
    try {
      warnOfCertificateEnds(tls);
      expect(warn.mock.calls.map((call: unknown[]) => [call[0], (call[1] as any).certificate, (call[1] as any).days])).toEqual([
        ['TLS certificate expires soon: renew it', 'tls.certFile', 0],
        ['TLS certificate expires soon: renew it', 'tls.caFile', 9],
      ]);
      expect(error).not.toHaveBeenCalled();
      warn.mockClear();
      warnOfCertificateEnds(tls, Date.now() + 2 * DAY);
      expect(error.mock.calls.map((call: unknown[]) => [call[0], (call[1] as any).subject])).toEqual([['TLS certificate expired: TLS associations with it fail', 'CN=node']]);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });
});
