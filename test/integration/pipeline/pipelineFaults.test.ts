import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import type { Job } from 'bullmq';
import { exportObjectHandler, markExportedWhenComplete } from '../../../src/pipeline/exportObjectHandler';
import { exportJobId } from '../../../src/pipeline/exportScheduler';
import { listDeadLetters, retryDeadLetter } from '../../../src/queue/deadLetters';
import { freePort } from '../../../src/redis/freePort';
import { intakeAll, startPipelineHarness, stubEngines, stubObjectUid, testConfig, PipelineHarness } from '../../helpers/pipelineHarness';
import { laterPort } from '../../helpers/laterPort';
import { startStatusScp } from '../../helpers/statusScp';
import { startStoreScp, StoreScp } from '../../helpers/storescp';
import { waitFor } from '../../helpers/childProcess';

const phase = (h: PipelineHarness, studyUid: string, wanted: string) => async () =>
  (await h.ctx.state.summary(studyUid))?.phase === wanted ? true : undefined;

function receivedObjects(scp: StoreScp, studyUid: string): string[] {
  const uids = ['mammoCadSr', 'tid1500Sr', 'gsps'].map((o) => stubObjectUid(studyUid, o));
  return scp.files().filter((f) => uids.some((u) => f.endsWith(u)));
}

describe('pipeline faults (bounded, loopback, nothing lost)', () => {
  const harnesses: PipelineHarness[] = [];
  const scps: StoreScp[] = [];
  afterAll(async () => {
    for (const h of harnesses) await h.stop();
    for (const s of scps) await s.stop();
  });

  it('one image of four fails analysis on every attempt: the report covers all four and records the failure', async () => {
    const scp = await startStoreScp({ aeTitle: 'PACS' });
    scps.push(scp);
    const failOn = new Set<string>();
    const h = await startPipelineHarness(
      (dir) => testConfig(dir, { export: { destinations: [{ aeTitle: 'PACS', host: '127.0.0.1', port: scp.port }] } }),
      stubEngines({ failOn }),
    );
    harnesses.push(h);
    const { studyUid, images } = h.writeStudy(4);
    failOn.add(path.basename(images[2].file));
    await intakeAll(h, studyUid, images);
    await waitFor('exported', phase(h, studyUid, 'exported'), 30000);
    const findings = await h.ctx.state.findings(studyUid);
    expect(findings.get(images[2].sopInstanceUid)).toMatchObject({ status: 'failed', failureReason: `analysis failed: cannot decode ${path.basename(images[2].file)}` });
    expect([...findings.values()].filter((f) => f.status === 'analysed')).toHaveLength(3);
    expect(receivedObjects(scp, studyUid)).toHaveLength(3);
    const letters = await listDeadLetters(h.ctx.queue);
    expect(letters.map((l) => [l.letter.jobName, l.letter.reason, l.letter.attemptsMade])).toEqual([
      ['instance.analyse', `cannot decode ${path.basename(images[2].file)}`, 3],
    ]);

    // The cause is fixed; an operator retries the dead letter: the image is analysed and the objects rebuilt.
    failOn.clear();
    const firstBuild = (await h.ctx.state.summary(studyUid))!.reportedFingerprint;
    await retryDeadLetter(h.ctx.queue, letters[0].id);
    await waitFor('rebuilt with four analysed images', async () => {
      const s = await h.ctx.state.summary(studyUid);
      return s?.reportCount === 2 && s.phase === 'exported' ? true : undefined;
    }, 30000);
    const after = await h.ctx.state.findings(studyUid);
    expect([...after.values()].map((f) => f.status)).toEqual(['analysed', 'analysed', 'analysed', 'analysed']);
    expect((await h.ctx.state.summary(studyUid))!.reportedFingerprint).not.toBe(firstBuild);
    expect(scp.storeRequests()).toBe(6); // two builds × three objects, the same three UIDs
    expect(receivedObjects(scp, studyUid)).toHaveLength(3);
  });

  /** A two-image study analysed by stub engines; headersPerBuild records how many headers each report build got. */
  async function analysedTwoImageStudy(pipeline: { attempts: number; backoffMs: number }) {
    const engines = stubEngines();
    const headersPerBuild: number[] = [];
    const h = await startPipelineHarness((dir) => testConfig(dir, { pipeline }), {
      analysis: engines.analysis,
      writeReports: async (study, headers, outDir, opts) => {
        headersPerBuild.push(headers.length);
        return engines.writeReports(study, headers, outDir, opts);
      },
    });
    harnesses.push(h);
    const { studyUid, images } = h.writeStudy(2);
    await intakeAll(h, studyUid, images);
    await waitFor('both analysed', async () => ((await h.ctx.state.findings(studyUid)).size === 2 ? true : undefined), 20000, 20);
    return { h, studyUid, images, headersPerBuild };
  }

  it('a spool file unreadable when the report is built (a shared-filesystem hiccup): retried, and the report holds every image', async () => {
    const { h, studyUid, images, headersPerBuild } = await analysedTwoImageStudy({ attempts: 4, backoffMs: 500 });
    const hidden = `${images[1].file}.away`;
    fs.renameSync(images[1].file, hidden);
    const reportJob = () => h.ctx.queue.getJob('study.report', `study.report-${studyUid}`);
    await waitFor('a report attempt failed', async () => ((await reportJob())?.attemptsMade ?? 0) >= 1 ? true : undefined, 20000, 20);
    expect((await reportJob())!.failedReason).toMatch(new RegExp(`source header unreadable: ${images[1].sopInstanceUid.replace(/\./g, '\\.')}`));
    fs.renameSync(hidden, images[1].file);
    await waitFor('reported', async () => ((await h.ctx.state.summary(studyUid))?.reportedFingerprint ? true : undefined), 20000);
    expect(headersPerBuild).toEqual([2]);
  });

  it('a spool file unreadable on every attempt: reported without it, and rebuilt with it by the next report job', async () => {
    const { h, studyUid, images, headersPerBuild } = await analysedTwoImageStudy({ attempts: 2, backoffMs: 200 });
    fs.renameSync(images[1].file, `${images[1].file}.away`);
    await waitFor('reported', async () => ((await h.ctx.state.summary(studyUid))?.reportCount === 1 ? true : undefined), 20000);
    expect(headersPerBuild).toEqual([1]);

    fs.renameSync(`${images[1].file}.away`, images[1].file);
    await intakeAll(h, studyUid, [images[0]]); // the modality sends an image again
    await waitFor('rebuilt', async () => ((await h.ctx.state.summary(studyUid))?.reportCount === 2 ? true : undefined), 20000);
    expect(headersPerBuild).toEqual([1, 2]);
  });

  it('PACS down when the objects are ready and back seconds later: delivered by the retries, exactly once', async () => {
    const port = await laterPort(); // the PACS comes back on it
    const h = await startPipelineHarness(
      (dir) => testConfig(dir, { pipeline: { attempts: 6, backoffMs: 300 }, export: { destinations: [{ aeTitle: 'PACS', host: '127.0.0.1', port }] } }),
      stubEngines(),
    );
    harnesses.push(h);
    const { studyUid, images } = h.writeStudy(2);
    await intakeAll(h, studyUid, images);
    await waitFor('first export attempt failed', async () => {
      const e = await h.ctx.state.exports(studyUid);
      return e.some((r) => /attempt 1 failed: .*ECONNREFUSED/.test(r.detail)) ? true : undefined;
    }, 20000);
    const scp = await startStoreScp({ aeTitle: 'PACS', port });
    scps.push(scp);
    await waitFor('exported', phase(h, studyUid, 'exported'), 30000);
    expect(receivedObjects(scp, studyUid)).toHaveLength(3);
    expect(fs.readdirSync(scp.dir)).toHaveLength(3);
    expect(await listDeadLetters(h.ctx.queue)).toEqual([]);
  });

  it('PACS down while a late image rebuilds the study: once back it gets the newer build only, each object once', async () => {
    const port = await laterPort(); // the PACS comes back on it
    const h = await startPipelineHarness(
      (dir) =>
        testConfig(dir, {
          export: { destinations: [{ aeTitle: 'PACS', host: '127.0.0.1', port }], retry: { attempts: 20, firstDelaySeconds: 0.3, maxDelaySeconds: 1 } },
        }),
      stubEngines(),
    );
    harnesses.push(h);
    const { studyUid, images } = h.writeStudy(2);
    await intakeAll(h, studyUid, images.slice(0, 1));
    const firstBuild = await waitFor('first build failing to export', async () => {
      const s = await h.ctx.state.summary(studyUid);
      const e = await h.ctx.state.exports(studyUid);
      return e.some((r) => /attempt 1 failed/.test(r.detail)) ? s!.reportedFingerprint : undefined;
    }, 20000);
    await intakeAll(h, studyUid, images.slice(1));
    await waitFor('second build', async () => ((await h.ctx.state.summary(studyUid))?.reportCount === 2 ? true : undefined), 20000);
    const scp = await startStoreScp({ aeTitle: 'PACS', port });
    scps.push(scp);
    await waitFor('exported', phase(h, studyUid, 'exported'), 30000);
    await new Promise((r) => setTimeout(r, 1500)); // the first build's jobs have had their next attempt
    expect(scp.storeRequests()).toBe(3);
    const exports = await h.ctx.state.exports(studyUid);
    expect(exports.filter((e) => e.outcome === 'delivered').map((e) => e.fingerprint)).toEqual(Array(3).fill((await h.ctx.state.summary(studyUid))!.reportedFingerprint));
    expect(exports.every((e) => e.fingerprint !== firstBuild || e.outcome !== 'delivered')).toBe(true);
  });

  it("a superseded build's export attempt failing after the newer build was exported changes neither the study's phase nor the newer record", async () => {
    // A PACS that takes the connection and never answers: the attempt fails only at the export timeout.
    const held: net.Socket[] = [];
    const silent = net.createServer((socket) => void held.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const h = await startPipelineHarness(
      (dir) => testConfig(dir, { export: { timeoutSeconds: 1, destinations: [{ aeTitle: 'PACS', host: '127.0.0.1', port }] } }),
      stubEngines(),
      { startWorkers: false },
    );
    harnesses.push(h);
    try {
      const { studyUid, images } = h.writeStudy(1);
      const object = images[0].file;
      const { sopInstanceUid, seriesUid, sopClassUid } = images[0];
      await h.ctx.state.recordInstance(studyUid, { sopInstanceUid, seriesUid, sopClassUid, path: object, receivedAt: Date.now() });
      await h.ctx.state.recordReport(studyUid, 'build-1', { gsps: object });
      const lastAttempt = { attemptsMade: 0, opts: { attempts: 1 } } as unknown as Job;
      const sending = exportObjectHandler(h.ctx)({ studyUid, object: 'gsps', path: object, destination: `PACS@127.0.0.1:${port}`, fingerprint: 'build-1' }, lastAttempt);
      // While it waits on the silent PACS, a late image's build is reported and delivered.
      await h.ctx.state.recordReport(studyUid, 'build-2', { gsps: object });
      await h.ctx.state.recordExport(studyUid, { object: 'gsps', destination: `PACS@127.0.0.1:${port}`, fingerprint: 'build-2', outcome: 'delivered', detail: '', at: Date.now() });
      await markExportedWhenComplete(h.ctx, studyUid);
      expect(await sending).toBe('superseded');
      expect((await h.ctx.state.summary(studyUid))?.phase).toBe('exported');
      // The newer build's record stays: the older attempt's failure does not replace it.
      expect(await h.ctx.state.exports(studyUid)).toMatchObject([{ fingerprint: 'build-2', outcome: 'delivered' }]);
    } finally {
      for (const socket of held) socket.destroy();
      silent.close();
    }
  });

  it("a superseded build's export delivered after the newer build was reported sends the newer one again, to land last", async () => {
    let studyUid = '';
    let object = '';
    const newerBuild = { report: async () => undefined as void };
    // The PACS stores the older build and, before it answers, the newer build is reported.
    const pacs = await startStatusScp(0, '', () => newerBuild.report());
    const destination = `PACS@127.0.0.1:${pacs.port}`;
    const h = await startPipelineHarness(
      (dir) => testConfig(dir, { export: { destinations: [{ aeTitle: 'PACS', host: '127.0.0.1', port: pacs.port }] } }),
      stubEngines(),
      { startWorkers: false },
    );
    harnesses.push(h);
    try {
      const study = h.writeStudy(1);
      studyUid = study.studyUid;
      const { sopInstanceUid, seriesUid, sopClassUid, file } = study.images[0];
      object = file;
      newerBuild.report = () => h.ctx.state.recordReport(studyUid, 'build-2', { gsps: object });
      await h.ctx.state.recordInstance(studyUid, { sopInstanceUid, seriesUid, sopClassUid, path: file, receivedAt: Date.now() });
      await h.ctx.state.recordReport(studyUid, 'build-1', { gsps: file });
      const attempt = { attemptsMade: 0, opts: { attempts: 3 } } as unknown as Job;
      expect(await exportObjectHandler(h.ctx)({ studyUid, object: 'gsps', path: file, destination, fingerprint: 'build-1' }, attempt)).toBe('superseded while sent');
      expect(pacs.received).toHaveLength(1);
      // The newer build's export is queued (again), and nothing records the older one as delivered.
      expect(await h.ctx.queue.getJob('export.store', exportJobId(studyUid, 'gsps', destination, 'build-2'))).toBeDefined();
      expect(await h.ctx.state.exports(studyUid)).toMatchObject([{ fingerprint: 'build-2', outcome: 'queued' }]);
    } finally {
      pacs.stop();
    }
  });

  it('PACS down past the retry cap: dead-lettered with the reason; a dead-letter retry redelivers', async () => {
    const port = await laterPort(); // the PACS comes back on it
    const h = await startPipelineHarness(
      (dir) => testConfig(dir, { pipeline: { attempts: 2, backoffMs: 100 }, export: { destinations: [{ aeTitle: 'PACS', host: '127.0.0.1', port }] } }),
      stubEngines(),
    );
    harnesses.push(h);
    const { studyUid, images } = h.writeStudy(1);
    await intakeAll(h, studyUid, images);
    await waitFor('export failed for good', phase(h, studyUid, 'exportFailed'), 30000);
    const letters = await waitFor('three dead letters', async () => {
      const l = await listDeadLetters(h.ctx.queue);
      return l.length === 3 ? l : undefined;
    }, 10000);
    for (const { letter } of letters) {
      expect(letter.jobName).toBe('export.store');
      expect(letter.reason).toMatch(new RegExp(`PACS@127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
      expect(letter.attemptsMade).toBe(2);
    }
    const scp = await startStoreScp({ aeTitle: 'PACS', port });
    scps.push(scp);
    for (const { id } of letters) expect(await retryDeadLetter(h.ctx.queue, id)).toMatch(/retried/);
    await waitFor('exported after retry', phase(h, studyUid, 'exported'), 20000);
    expect(receivedObjects(scp, studyUid)).toHaveLength(3);
    expect(await listDeadLetters(h.ctx.queue)).toEqual([]);
  });

  it('an export whose destination was removed from the configuration ends failed with a dead letter, not queued for ever', async () => {
    const port = await freePort(); // nothing listens: the first attempt fails
    const h = await startPipelineHarness(
      (dir) => testConfig(dir, { pipeline: { attempts: 2, backoffMs: 300 }, export: { destinations: [{ aeTitle: 'GONE', host: '127.0.0.1', port }] } }),
      stubEngines(),
    );
    harnesses.push(h);
    const { studyUid, images } = h.writeStudy(1);
    await intakeAll(h, studyUid, images);
    await waitFor('a first export attempt failed', async () => ((await h.ctx.state.exports(studyUid)).length === 3 ? true : undefined), 20000);
    h.ctx.config.export.destinations = []; // an operator removes the destination
    await waitFor('export failed', phase(h, studyUid, 'exportFailed'), 20000);
    await waitFor('final', async () => ((await h.ctx.state.exports(studyUid)).every((r) => r.outcome === 'failed') ? true : undefined), 20000);
    // Dead letters follow the failure (BullMQ's failed event), a moment after the state.
    const letters = await waitFor('3 dead letters', async () => {
      const l = (await listDeadLetters(h.ctx.queue)).filter((d) => d.letter.jobName === 'export.store');
      return l.length === 3 ? l : undefined;
    }, 20000);
    expect(letters.map((l) => l.letter.reason)).toEqual(
      Array(3).fill(`destination GONE@127.0.0.1:${port} is not configured (any more)`),
    );
  });

  it('two workers share one queue: the images of a study are spread over both', async () => {
    const scp = await startStoreScp({ aeTitle: 'PACS' });
    scps.push(scp);
    const callsA: string[] = [];
    const callsB: string[] = [];
    const h = await startPipelineHarness(
      (dir) => testConfig(dir, { export: { destinations: [{ aeTitle: 'PACS', host: '127.0.0.1', port: scp.port }] } }),
      stubEngines({ calls: callsA, analysisMs: 300 }),
    );
    harnesses.push(h);
    const other = stubEngines({ calls: callsB, analysisMs: 300 });
    h.addWorker({ analysis: { ...other.analysis, analyse: async (f, c) => ({ ...(await other.analysis.analyse(f, c)), studyUid: path.basename(path.dirname(f)) }) } });
    const { studyUid, images } = h.writeStudy(8);
    await intakeAll(h, studyUid, images);
    await waitFor('exported', phase(h, studyUid, 'exported'), 30000);
    expect(callsA.length + callsB.length).toBe(8);
    expect(callsA.length).toBeGreaterThan(0);
    expect(callsB.length).toBeGreaterThan(0);
    expect(receivedObjects(scp, studyUid)).toHaveLength(3);
  });
});
