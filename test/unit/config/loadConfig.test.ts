import { configSchema } from '../../../src/config/schema';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, loadConfig } from '../../../src/config/loadConfig';

const repoRoot = path.resolve(__dirname, '../../..');

describe('loadConfig', () => {
  it('reads config/default.json with the documented defaults', () => {
    const c = loadConfig({}, repoRoot);
    expect(c.aeTitle).toBe('MAMMOCAD');
    expect(c.dicomPort).toBe(11112);
    expect(c.httpPort).toBe(8080);
    expect(c.dataDir).toBe(path.join(repoRoot, 'var'));
    expect(c.redisUrl).toBe('');
    expect(c.receiver.allowedCallingAes).toEqual([]);
    expect(c.receiver.analysedSopClasses).toContain('1.2.840.10008.5.1.4.1.1.1.2.1');
  });

  it('applies every documented environment override', () => {
    const c = loadConfig(
      {
        MAMMOCAD_AE_TITLE: 'CAD1',
        MAMMOCAD_DICOM_PORT: '4242',
        MAMMOCAD_HTTP_PORT: '9090',
        MAMMOCAD_DATA_DIR: '/tmp/mc',
        MAMMOCAD_REDIS_URL: 'redis://10.0.0.1:6379',
        MAMMOCAD_ALLOWED_CALLING_AES: 'PACS, MODALITY1',
        MAMMOCAD_SETTLE_SECONDS: '2.5',
        MAMMOCAD_DESTINATIONS: 'PACS@pacs.local:104,WS@[::1]:11113',
        MAMMOCAD_LOG_LEVEL: 'debug',
      },
      repoRoot,
    );
    expect(c.aeTitle).toBe('CAD1');
    expect(c.dicomPort).toBe(4242);
    expect(c.httpPort).toBe(9090);
    expect(c.dataDir).toBe('/tmp/mc');
    expect(c.redisUrl).toBe('redis://10.0.0.1:6379');
    expect(c.receiver.allowedCallingAes).toEqual(['PACS', 'MODALITY1']);
    expect(c.pipeline.settleSeconds).toBe(2.5);
    expect(c.export.destinations.map((d) => ('aeTitle' in d ? `${d.aeTitle}@${d.host}:${d.port}` : d.url))).toEqual([
      'PACS@pacs.local:104',
      'WS@::1:11113',
    ]);
    expect(c.logLevel).toBe('debug');
  });

  it.each([
    [{ MAMMOCAD_DICOM_PORT: 'abc' }, /MAMMOCAD_DICOM_PORT: expected an integer/],
    [{ MAMMOCAD_DICOM_PORT: '70000' }, /config key "dicomPort"/],
    [{ MAMMOCAD_AE_TITLE: 'THIS_TITLE_IS_TOO_LONG' }, /config key "aeTitle": an AE title of 1-16/],
    [{ MAMMOCAD_ALLOWED_CALLING_AES: 'OK,BAD\\AE' }, /config key "receiver.allowedCallingAes.1"/],
    [{ MAMMOCAD_DESTINATIONS: 'PACS-at-host' }, /MAMMOCAD_DESTINATIONS: expected AET@host:port/],
    [{ MAMMOCAD_LOG_LEVEL: 'loud' }, /config key "logLevel"/],
  ])('rejects %j naming the key', (env, message) => {
    expect(() => loadConfig(env as Record<string, string>, repoRoot)).toThrow(ConfigError);
    expect(() => loadConfig(env as Record<string, string>, repoRoot)).toThrow(message);
  });

  it('refuses a misspelt key instead of silently leaving its setting (auth, an AE allow list) at the default', () => {
    const refused = configSchema.safeParse({ http: { Token: 'secret' }, receiver: { allowedCallingAEs: ['PACS'] } });
    expect(refused.success).toBe(false);
    const problems = refused.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(problems).toEqual([
      expect.stringMatching(/^receiver: Unrecognized key\(s\) in object: 'allowedCallingAEs'/),
      expect.stringMatching(/^http: Unrecognized key\(s\) in object: 'Token'/),
    ]);
  });

  it('takes the operating point only in whole percents, as the SR writes it', () => {
    expect(configSchema.parse({ inference: { operatingPoint: 0.29 } }).inference.operatingPoint).toBe(0.29);
    const refused = configSchema.safeParse({ inference: { operatingPoint: 0.305 } });
    expect(refused.success).toBe(false);
    expect(JSON.stringify(refused.error?.issues)).toContain('must be a whole percent');
  });

  it('merges a file named by MAMMOCAD_CONFIG under the environment', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-config-'));
    const file = path.join(dir, 'site.json');
    fs.writeFileSync(file, JSON.stringify({ aeTitle: 'SITE', receiver: { maxAssociations: 3 } }));
    const c = loadConfig({ MAMMOCAD_CONFIG: file, MAMMOCAD_AE_TITLE: 'ENVWINS' }, repoRoot);
    expect(c.aeTitle).toBe('ENVWINS');
    expect(c.receiver.maxAssociations).toBe(3);
    expect(c.receiver.minFreeDiskMb).toBe(1024);
  });

  it("refuses to start when a STOW-RS destination's authorizationEnv is not set", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-config-'));
    const file = path.join(dir, 'site.json');
    fs.writeFileSync(file, JSON.stringify({ export: { destinations: [{ url: 'https://vna.local/dicom-web', authorizationEnv: 'VNA_TOKEN' }] } }));
    expect(() => loadConfig({ MAMMOCAD_CONFIG: file }, repoRoot)).toThrow(
      'export.destinations: https://vna.local/dicom-web names authorizationEnv VNA_TOKEN, which is not set',
    );
    expect(loadConfig({ MAMMOCAD_CONFIG: file, VNA_TOKEN: 'Bearer x' }, repoRoot).export.destinations).toHaveLength(1);
  });
});
