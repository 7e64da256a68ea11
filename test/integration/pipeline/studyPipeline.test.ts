import { execFileSync } from 'child_process';
import * as path from 'path';
import { intakeAll, startPipelineHarness, stubEngines, stubObjectUid, testConfig, PipelineHarness } from '../../helpers/pipelineHarness';
import { startStoreScp, StoreScp } from '../../helpers/storescp';
import { waitFor } from '../../helpers/childProcess';
import { writeTestInstance } from '../../helpers/dicomFiles';
import type { ReportWriterOptions } from '../../../src/pipeline/reportAdapter';
import { studiesTotal, studyTurnaroundSeconds } from '../../../src/metrics/metrics';

function describeOf(file: string): string {
  return execFileSync('dcmdump', ['-Un', '+P', '0008,103e', file], { encoding: 'utf8' });
}

describe('study pipeline on BullMQ (stub analysis and reports, real Redis and storescp)', () => {
  let scp: StoreScp;
  let h: PipelineHarness;
  const calls: string[] = [];
  const reportOptions: ReportWriterOptions[] = [];

  beforeAll(async () => {
    scp = await startStoreScp({ aeTitle: 'PACS' });
    h = await startPipelineHarness(
      (dir) =>
        testConfig(dir, {
          export: { destinations: [{ aeTitle: 'PACS', host: '127.0.0.1', port: scp.port }] },
          report: { individualCalcifications: 'notForPresentation' },
        }),
      stubEngines({ calls, failOn: new Set(), analysisMs: 50, reportOptions }),
    );
  });
  afterAll(async () => {
    await h?.stop();
    await scp?.stop();
  });

  it('analyses on arrival, reports once after the settle window, exports each object once; a late image replaces them', async () => {
    const { studyUid, images } = h.writeStudy(5);
    const first = images.slice(0, 4);
    const turnaround = async () => {
      const values = (await studyTurnaroundSeconds.get()).values;
      const of = (name: string) => values.find((v) => v.metricName === name)?.value ?? 0;
      return { count: of('mammocad_study_turnaround_seconds_count'), sum: of('mammocad_study_turnaround_seconds_sum') };
    };
    const turnaroundBefore = await turnaround();
    const arrived = Date.now();
    await intakeAll(h, studyUid, first.slice(0, 2), 'MODALITY');
    await new Promise((r) => setTimeout(r, 600)); // within the 1 s settle window: restarts it
    await intakeAll(h, studyUid, first.slice(2), 'MODALITY');
    const lastArrival = Date.now();

    const exported = await waitFor('study exported', async () => ((await h.ctx.state.summary(studyUid))?.phase === 'exported' ? true : undefined), 20000);
    expect(exported).toBe(true);
    const summary = (await h.ctx.state.summary(studyUid))!;
    // Not reported before the window after the LAST arrival closed.
    expect(summary.reportedAt! - lastArrival).toBeGreaterThanOrEqual(1000);
    expect(summary.reportedAt! - arrived).toBeGreaterThanOrEqual(1600);
    expect(summary.reportCount).toBe(1);
    // Its turnaround, from the last image to the objects delivered: the settle window and a little more.
    const firstTurnaround = await turnaround();
    expect(firstTurnaround.count - turnaroundBefore.count).toBe(1);
    expect(firstTurnaround.sum - turnaroundBefore.sum).toBeGreaterThanOrEqual(1);
    expect(firstTurnaround.sum - turnaroundBefore.sum).toBeLessThan((Date.now() - lastArrival) / 1000 + 0.1);
    // The configured report options reach the report writer.
    expect(reportOptions).toEqual([{ operatingPoint: 0.3, individualCalcifications: 'notForPresentation' }]);
    const findings = await h.ctx.state.findings(studyUid);
    expect([...findings.values()].map((f) => f.status)).toEqual(['analysed', 'analysed', 'analysed', 'analysed']);

    const objectUids = ['mammoCadSr', 'tid1500Sr', 'gsps'].map((o) => stubObjectUid(studyUid, o));
    const received = () => scp.files().filter((f) => objectUids.some((u) => f.endsWith(u)));
    expect(received()).toHaveLength(3);
    for (const f of received()) expect(describeOf(f)).toContain(first[0].sopInstanceUid.slice(0, 20));
    const exportsBefore = await h.ctx.state.exports(studyUid);
    expect(exportsBefore.map((e) => e.outcome)).toEqual(['delivered', 'delivered', 'delivered']);

    // A late image: a new build with the same object UIDs replaces the earlier objects.
    await intakeAll(h, studyUid, images.slice(4), 'MODALITY');
    await waitFor('second build exported', async () => {
      const s = await h.ctx.state.summary(studyUid);
      return s?.reportCount === 2 && s.phase === 'exported' ? true : undefined;
    }, 20000);
    expect(received()).toHaveLength(3); // same UIDs: replaced, not duplicated
    const after = await h.ctx.state.exports(studyUid);
    expect(new Set(after.map((e) => e.fingerprint)).size).toBe(1);
    expect(after[0].fingerprint).not.toBe(exportsBefore[0].fingerprint);
    // Every image analysed exactly once.
    for (const img of images) expect(calls.filter((c) => c.endsWith(path.basename(img.file)))).toHaveLength(1);

    // The whole study sent again (a PACS re-routing it): nothing is rebuilt or re-sent.
    const requests = scp.storeRequests();
    await intakeAll(h, studyUid, images, 'MODALITY');
    expect((await h.ctx.state.summary(studyUid))!.phase).toBe('receiving');
    await waitFor('back to exported', async () => ((await h.ctx.state.summary(studyUid))?.phase === 'exported' ? true : undefined), 20000);
    expect((await h.ctx.state.summary(studyUid))!.reportCount).toBe(2);
    expect(scp.storeRequests()).toBe(requests);
    for (const img of images) expect(calls.filter((c) => c.endsWith(path.basename(img.file)))).toHaveLength(1);
  });

  it('a study whose images carry two Patient IDs is not reported, and the state says why', async () => {
    const { studyUid, images } = h.writeStudy(2);
    const stray = writeTestInstance(path.join(h.dir, 'spool', studyUid), images[0].sopClassUid, {
      studyUid,
      modality: 'MG',
      withPixels: true,
      patientId: 'TEST-0002',
    });
    const requests = scp.storeRequests();
    const notReportedCount = async () => (await studiesTotal.get()).values.find((v) => v.labels.phase === 'notReported')?.value ?? 0;
    const countedBefore = await notReportedCount();
    await intakeAll(h, studyUid, [...images, stray], 'MODALITY');
    const summary = await waitFor('study not reported', async () => {
      const s = await h.ctx.state.summary(studyUid);
      return s?.phase === 'notReported' ? s : undefined;
    }, 20000);
    expect(summary.lastError).toBe(
      "its images carry 2 different Patient IDs (or issuers): not reported, so no CAD mark reaches another patient's record",
    );
    expect(summary.reportCount).toBe(0);
    // Counted once for the MammocadStudiesWithoutResults alert, however often the phase is set again.
    expect(await notReportedCount()).toBe(countedBefore + 1);
    await h.ctx.state.setPhase(studyUid, 'notReported', summary.lastError);
    expect(await notReportedCount()).toBe(countedBefore + 1);
    expect(await h.ctx.state.outputs(studyUid)).toEqual({});
    await new Promise((r) => setTimeout(r, 500));
    expect(scp.storeRequests()).toBe(requests);
  });
});
