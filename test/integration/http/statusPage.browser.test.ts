import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { PNG } from 'pngjs';
import { chromium, Browser } from 'playwright-core';
import { startEmbeddedRedis, EmbeddedRedis } from '../../../src/redis/embeddedRedis';
import { StudyStateStore } from '../../../src/pipeline/studyStateStore';
import { StudyIndex } from '../../../src/store/studyIndex';
import { JobQueue } from '../../../src/queue/jobQueue';
import { writeReports } from '../../../src/report';
import { markColours } from '../../../src/report/render/drawMarks';
import { createHttpServer, listenHttp, RunningHttpServer } from '../../../src/http/httpServer';
import { pipelineStudyStatusSource } from '../../../src/http/pipelineStudyStatus';
import { stopMarksRenderer } from '../../../src/report/render/renderMarksInWorker';
import { writeMgImage } from '../../helpers/mgImage';
import { reportScenario } from '../../helpers/reportScenarios';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'page-token';
const describeWithChromium = fs.existsSync(CHROMIUM) ? describe : describe.skip;
if (!fs.existsSync(CHROMIUM)) console.warn(`status page browser test skipped: ${CHROMIUM} not installed (apt-get install chromium)`);

/**
 * The status page in a real headless Chromium, fed from real Redis state: a four-view study with one
 * malignant-looking cluster on L CC, its reports written by the report builders, and thumbnails drawn
 * by the report renderer.
 */
describeWithChromium('status page in headless Chromium', () => {
  let dir: string;
  let redis: EmbeddedRedis;
  let client: Redis;
  let server: RunningHttpServer;
  let browser: Browser;
  let jobs: JobQueue;
  const scenario = reportScenario('oneCluster');
  const studyUid = scenario.study.studyUid;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-status-'));
    redis = await startEmbeddedRedis(path.join(dir, 'redis'));
    client = new Redis(redis.url);
    const state = new StudyStateStore(client);
    const index = new StudyIndex(client);
    for (const header of scenario.headers) {
      const file = path.join(dir, 'spool', studyUid, `${header.SOPInstanceUID}.dcm`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeMgImage(file, header);
      const instance = { sopInstanceUid: header.SOPInstanceUID, seriesUid: header.SeriesInstanceUID, sopClassUid: header.SOPClassUID, path: file };
      await index.markReceived(studyUid, instance);
      await state.recordInstance(studyUid, { ...instance, receivedAt: Date.now() });
    }
    for (const findings of scenario.study.images) await state.saveFindings(findings);
    const outputs = await writeReports(scenario.study, scenario.headers, path.join(dir, 'outputs'), { operatingPoint: 0.3 });
    await state.recordReport(studyUid, 'fp', outputs);
    await state.recordExport(studyUid, { object: 'mammoCadSr', destination: 'PACS@pacs.example:104', fingerprint: 'fp', outcome: 'delivered', detail: '', at: Date.now() });

    jobs = new JobQueue(redis.url, { attempts: 1, backoffMs: 10 });
    await jobs.add('study.report', { studyUid }, { jobId: 'report-waiting' });
    const app = createHttpServer({
      readinessChecks: [],
      token: TOKEN,
      studies: pipelineStudyStatusSource(client),
      queueOf: (stage) => jobs.queue(stage),
    });
    server = await listenHttp(app, 0, '127.0.0.1');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await stopMarksRenderer();
    await jobs?.close();
    client?.disconnect();
    await redis?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists the study with its state and findings and shows every image with its CAD marks', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'operator', password: TOKEN }, viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const response = await page.goto(`${server.url}/`);
    expect(response?.status()).toBe(200);

    expect(await page.getByText(`Study ${studyUid}`).isVisible()).toBe(true);
    expect(await page.locator('.state').first().textContent()).toBe('reported');
    expect(await page.getByText('1 cluster, highest probability of cancer 87%').first().isVisible()).toBe(true);
    expect(await page.locator('tbody tr').count()).toBe(4);
    expect(await page.locator('.export-delivered').textContent()).toBe('mammoCadSr → PACS@pacs.example:104: delivered');

    // Every thumbnail loads and decodes (the renderer answered a PNG for each image).
    const thumbnails = page.locator('figure img');
    expect(await thumbnails.count()).toBe(4);
    await page.waitForFunction(ALL_IMAGES_DECODED, undefined, { timeout: 30000 });
    expect(await page.locator('.thumbnail-placeholder').count()).toBe(0);

    // The L CC thumbnail carries the red "presentation required" outline; the R CC one has no marks.
    const marked = await thumbnails.nth(await figureIndex(page, 'L CC')).screenshot();
    const clean = await thumbnails.nth(await figureIndex(page, 'R CC')).screenshot();
    expect(countColour(marked, markColours.required)).toBeGreaterThan(10);
    expect(countColour(clean, markColours.required)).toBe(0);

    // The whole page is not blank: many distinct colours, not one flat background.
    const pageShot = await page.screenshot({ fullPage: true });
    // MAMMOCAD_WRITE_DOC_IMAGES=1 refreshes the picture of this page in docs/operations.md.
    if (process.env.MAMMOCAD_WRITE_DOC_IMAGES) fs.writeFileSync(path.resolve(__dirname, '../../../docs/img/status-page.png'), pageShot);
    const shot = PNG.sync.read(pageShot);
    expect(shot.width).toBeGreaterThan(500);
    expect(distinctColours(shot)).toBeGreaterThan(50);
    await context.close();
  });

  it('shows the queue dashboard with every stage, and the UI is told every queue is read-only', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'operator', password: TOKEN } });
    const page = await context.newPage();
    // What the dashboard UI itself loads: it hides every job and queue action of a read-only queue.
    const queuesResponse = page.waitForResponse((r) => new URL(r.url()).pathname === '/queues/api/queues');
    await page.goto(`${server.url}/queues`);
    const { queues } = (await (await queuesResponse).json()) as { queues: Array<{ name: string; readOnlyMode: boolean }> };
    expect(queues.map((q) => [q.name, q.readOnlyMode]).sort()).toEqual([
      ['dead-letters', true],
      ['exports', true],
      ['instances', true],
      ['reports', true],
    ]);
    for (const stage of ['instances', 'reports', 'exports', 'dead-letters']) {
      await page.getByText(stage, { exact: true }).first().waitFor({ timeout: 20000 });
    }
    await page.goto(`${server.url}/queues/queue/reports?status=waiting`);
    await page.getByText('study.report').first().waitFor({ timeout: 20000 });
    await context.close();
  });

  it('refuses a browser with the wrong password and shows it no study', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'operator', password: 'wrong' } });
    const page = await context.newPage();
    const response = await page.goto(`${server.url}/`);
    expect(response?.status()).toBe(401);
    expect(await page.textContent('body')).not.toContain(studyUid);
    await context.close();
  });
});

// Runs in the page; a string, because this test project is compiled without the DOM types.
const ALL_IMAGES_DECODED = 'Array.from(document.images).every((img) => img.complete && img.naturalWidth > 0)';

async function figureIndex(page: import('playwright-core').Page, label: string): Promise<number> {
  const captions = await page.locator('figure figcaption').allTextContents();
  const i = captions.indexOf(label);
  if (i < 0) throw new Error(`no thumbnail captioned ${label}: ${captions.join(', ')}`);
  return i;
}

/** Pixels within a small tolerance of an RGB colour (screenshots rescale, so not exact). */
function countColour(png: Buffer, [r, g, b]: number[]): number {
  const img = PNG.sync.read(png);
  let n = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    if (Math.abs(img.data[i] - r) < 40 && Math.abs(img.data[i + 1] - g) < 40 && Math.abs(img.data[i + 2] - b) < 40) n++;
  }
  return n;
}

function distinctColours(img: PNG): number {
  const seen = new Set<number>();
  for (let i = 0; i < img.data.length; i += 4) seen.add((img.data[i] << 16) | (img.data[i + 1] << 8) | img.data[i + 2]);
  return seen.size;
}
