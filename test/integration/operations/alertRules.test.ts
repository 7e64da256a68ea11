import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { ALGORITHM_IDENTITY } from '../../../src/detect/algorithmIdentity';
import { freePort } from '../../../src/redis/freePort';
import { packageVersion } from '../../../src/runtime/packageVersion';
import { startChildWorker, type ChildNode } from '../../helpers/childNode';
import { exportedSeriesNames, mammocadSeriesIn } from '../../helpers/prometheusExposition';
import { useRedisDataDir } from '../../helpers/redisDataDir';

jest.setTimeout(60000);

const ROOT = path.resolve(__dirname, '../../..');
const RULES = path.join(ROOT, 'config/prometheus/mammocad-alerts.yml');
const PROMTOOL_TESTS = path.join(__dirname, 'mammocadAlerts.promtool.yml');

interface AlertRule {
  alert: string;
  expr: string;
}
const rules: AlertRule[] = parse(fs.readFileSync(RULES, 'utf8')).groups.flatMap((g: { rules: AlertRule[] }) => g.rules);
const promtool = (...args: string[]) => spawnSync('promtool', args, { encoding: 'utf8', cwd: __dirname });

/** config/prometheus/mammocad-alerts.yml, checked by Prometheus's own promtool (Debian's prometheus package). */
describe('the Prometheus alerting rules', () => {
  it('are valid rules', () => {
    const r = promtool('check', 'rules', RULES);
    expect({ status: r.status, out: r.stdout.trim() }).toEqual({ status: 0, out: `Checking ${RULES}\n  SUCCESS: ${rules.length} rules found` });
  });

  it('fire where they should and not where they should not (promtool test rules)', () => {
    const r = promtool('test', 'rules', PROMTOOL_TESTS);
    expect({ status: r.status, out: `${r.stdout}${r.stderr}`.trim() }).toEqual({ status: 0, out: `Unit Testing:  ${PROMTOOL_TESTS}\n  SUCCESS` });
  });

  it('are loaded by the example Prometheus configuration, which promtool accepts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-prometheus-'));
    try {
      // promtool checks that the credentials file exists: a token file of the test's own.
      fs.writeFileSync(path.join(dir, 'token'), 'change-me\n');
      const config = fs.readFileSync(path.join(ROOT, 'config/prometheus/prometheus.yml'), 'utf8');
      expect(config).toContain('credentials_file: /etc/prometheus/mammocad-token');
      fs.writeFileSync(path.join(dir, 'prometheus.yml'), config.replace('/etc/prometheus/mammocad-token', path.join(dir, 'token')));
      fs.copyFileSync(RULES, path.join(dir, 'mammocad-alerts.yml'));
      const r = promtool('check', 'config', path.join(dir, 'prometheus.yml'));
      expect({ status: r.status, out: `${r.stdout}${r.stderr}` }).toEqual({ status: 0, out: expect.stringContaining(`SUCCESS: ${rules.length} rules found`) });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('each have a firing case in the promtool tests and a row in the operations guide', () => {
    const tests = parse(fs.readFileSync(PROMTOOL_TESTS, 'utf8')).tests as { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
    const firing = new Set(tests.flatMap((t) => t.alert_rule_test.filter((c) => c.exp_alerts.length > 0).map((c) => c.alertname)));
    const operations = fs.readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');
    const alertsSection = operations.slice(operations.indexOf('\n## Alerts'), operations.indexOf('\n## ', operations.indexOf('\n## Alerts') + 1));
    for (const { alert } of rules) {
      expect({ alert, tested: firing.has(alert) }).toEqual({ alert, tested: true });
      expect({ alert, documented: alertsSection.includes(`| \`${alert}\``) }).toEqual({ alert, documented: true });
    }
  });

  describe('against a running worker', () => {
    let worker: ChildNode;
    let metrics: string;
    // Declared before useRedisDataDir's hooks, so it runs first: the worker stops before its Redis.
    afterAll(() => worker?.kill('SIGTERM'));
    const data = useRedisDataDir('alerts');
    beforeAll(async () => {
      const httpPort = await freePort();
      worker = await startChildWorker({
        MAMMOCAD_DATA_DIR: data.dir,
        MAMMOCAD_REDIS_URL: data.redis.url,
        MAMMOCAD_HTTP_PORT: String(httpPort),
        MAMMOCAD_TEST_ANALYSIS_MS: '100',
      });
      metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    });

    it('exports every mammocad metric the rules read (a renamed metric would silence its alert)', () => {
      const named = mammocadSeriesIn(rules.map((r) => r.expr));
      expect(named.length).toBeGreaterThan(8);
      const exported = exportedSeriesNames(metrics);
      expect(named.filter((name) => !exported.has(name))).toEqual([]);
    });

    it('reports its role, version and algorithm in mammocad_build_info', () => {
      expect(metrics).toContain(`mammocad_build_info{role="worker",version="${packageVersion}",algorithm="${ALGORITHM_IDENTITY.name} ${ALGORITHM_IDENTITY.version}"} 1`);
    });
  });
});
