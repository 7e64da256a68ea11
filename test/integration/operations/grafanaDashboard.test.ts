import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startChildReceiverNode, startChildWorker } from '../../helpers/childNode';
import { ChildPipeline, startChildPipeline } from '../../helpers/childPipeline';
import { waitFor } from '../../helpers/childProcess';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';
import { exportedSeriesNames, mammocadSeriesIn } from '../../helpers/prometheusExposition';
import { startPrometheus, type PrometheusQueryResult, type PrometheusServer } from '../../helpers/prometheusServer';
import { freePort } from '../../../src/redis/freePort';

jest.setTimeout(120000);

const ROOT = path.resolve(__dirname, '../../..');
const DASHBOARD = path.join(ROOT, 'config/grafana/mammocad-dashboard.json');

interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { refId: string; expr: string; datasource?: { uid: string } }[];
}
const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as { uid: string; panels: Panel[]; templating: { list: { name: string; type: string; query: string }[] } };
const queryPanels = dashboard.panels.filter((p) => p.type !== 'row');
/** Grafana's interval variable, as Grafana would fill it in for a 1 s scrape interval. */
const asQueried = (expr: string) => expr.replaceAll('$__rate_interval', '1m');

/** config/grafana/mammocad-dashboard.json: layout, and every query run by a real Prometheus. */
describe('the Grafana dashboard', () => {
  it('lays out its panels on the 24-column grid without overlaps, each with a unique id', () => {
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const { title, gridPos: g } of dashboard.panels) expect({ title, fits: g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.h > 0 }).toEqual({ title, fits: true });
    const overlapping = dashboard.panels.flatMap((a, i) =>
      dashboard.panels
        .slice(i + 1)
        .filter((b) => a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w && a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h)
        .map((b) => `${a.title} / ${b.title}`),
    );
    expect(overlapping).toEqual([]);
  });

  it('reads the Prometheus chosen in its datasource variable, and says what each panel means', () => {
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }));
    for (const p of queryPanels) {
      expect({ title: p.title, datasource: p.datasource?.uid, described: (p.description ?? '').length > 20 }).toEqual({ title: p.title, datasource: '${datasource}', described: true });
      expect(p.targets!.length).toBeGreaterThan(0);
      for (const t of p.targets!) expect({ title: p.title, datasource: t.datasource?.uid }).toEqual({ title: p.title, datasource: '${datasource}' });
    }
  });

  describe('on Prometheus scraping a real receiver and worker after a study', () => {
    let p: ChildPipeline;
    let prometheus: PrometheusServer;
    const metricsTexts: string[] = [];
    /** Each panel's queries' results, by panel title. */
    const results = new Map<string, PrometheusQueryResult[]>();
    const TOKEN = 'dashboard-test-token';

    beforeAll(async () => {
      p = await startChildPipeline('dashboard', { MAMMOCAD_HTTP_TOKEN: TOKEN });
      const [receiverHttp, workerHttp] = [await freePort(), await freePort()];
      p.nodes.push(
        await startChildReceiverNode({ ...p.env, MAMMOCAD_HTTP_PORT: String(receiverHttp) }),
        await startChildWorker({ ...p.env, MAMMOCAD_HTTP_PORT: String(workerHttp) }),
      );
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-dashboard-study-'));
      const studyUid = testUid();
      await p.send((['L', 'R'] as const).map((laterality) => writeMgFixture(dir, { studyUid, laterality }).file));
      fs.rmSync(dir, { recursive: true, force: true });
      await waitFor('the study exported', p.phaseAfterBuilds(studyUid, 'exported', 1), 60000, 200);

      const targets = [receiverHttp, workerHttp].map((port) => `127.0.0.1:${port}`);
      for (const t of targets) metricsTexts.push(await (await fetch(`http://${t}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text());
      prometheus = await startPrometheus({ targets, token: TOKEN, ruleFiles: [path.join(ROOT, 'config/prometheus/mammocad-alerts.yml')] });
      // Three scrapes of both processes: enough samples for every rate() over the 1 m window.
      await waitFor(
        'three scrapes of both processes',
        async () => {
          const r = await prometheus.query('count_over_time(up{job="mammocad"}[1m]) >= 3 and up == 1');
          return r.result.length === 2 ? true : undefined;
        },
        30000,
        500,
      );
      for (const panel of queryPanels) results.set(panel.title, await Promise.all(panel.targets!.map((t) => prometheus.query(asQueried(t.expr)))));
    });
    afterAll(async () => {
      await prometheus?.stop();
      await p?.stop();
    });

    it('reads only series the receiver and worker export (a renamed metric would empty its panel)', () => {
      const named = mammocadSeriesIn(queryPanels.flatMap((panel) => panel.targets!.map((t) => t.expr)));
      expect(named.length).toBeGreaterThan(15);
      const exported = new Set(metricsTexts.flatMap((text) => [...exportedSeriesNames(text)]));
      expect(named.filter((name) => !exported.has(name))).toEqual([]);
    });

    it('has queries Prometheus accepts', () => {
      const refused = [...results].flatMap(([title, rs]) => rs.filter((r) => r.status !== 'success').map((r) => `${title}: ${r.error}`));
      expect(refused).toEqual([]);
    });

    it('shows data in every panel but those of features this node does not use and alerts that do not fire', () => {
      const empty = [...results].filter(([, rs]) => rs.every((r) => r.result.length === 0)).map(([title]) => title);
      expect(empty.sort()).toEqual(['Audit messages per hour', 'Firing alerts', 'Redis refusing writes', 'Storage commitment per hour', 'TLS certificates, days left']);
    });

    it('shows the healthy node as it is: both processes up and ready, nothing dead, the study in and out', () => {
      const value = (title: string) => Number(results.get(title)![0].result[0].value[1]);
      expect(value('Processes down')).toBe(0);
      expect(value('Checks failing')).toBe(0);
      expect(value('Dead letters')).toBe(0);
      expect(value('Studies without results, 24 h')).toBe(0);
      const labels = (title: string, label: string) => results.get(title)!.flatMap((r) => r.result.map((s) => s.metric[label])).sort();
      expect(labels('Processes', 'role')).toEqual(['receiver', 'worker']);
      expect(labels('Readiness checks', 'check')).toEqual(['models', 'redis', 'spool', 'redis', 'spool'].sort());
      expect(results.get('Readiness checks')![0].result.map((s) => s.value[1])).toEqual(['1', '1', '1', '1', '1']);
      expect(labels('Images received per minute', 'outcome')).toEqual(['stored']);
      expect(labels('Images analysed per minute', 'outcome')).toEqual(['analysed']);
      expect(labels('Studies finished per hour', 'phase')).toEqual(['exported']);
      expect(labels('Deliveries per hour', 'outcome')).toEqual(expect.arrayContaining(['delivered']));
      expect(labels('Associations per minute', 'outcome')).toEqual(['accepted']);
    });
  });
});
