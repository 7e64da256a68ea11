import type { Job } from 'bullmq';
import * as path from 'path';
import type { ImageFindings } from '../findings/types';
import { logger } from '../log/logger';
import type { PipelineContext } from './pipelineContext';
import type { SourceHeader } from './reportAdapter';
import { analyseJobId, queueAnalysis } from './instanceIntake';
import { failedImageFindings } from './failedImageFindings';
import { isFinalAttempt } from './finalAttempt';
import { patientsInStudy } from './patientIdentity';
import { readSourceHeader } from './sourceHeader';
import { redelay } from './redelay';
import { withStudyLock } from './studyLock';
import { scheduleExports } from './exportScheduler';
import { studyFingerprint } from './studyFingerprint';
import { withdrawStudy } from '../rejection/withdrawStudy';
import type { StudySummary, TrackedInstance } from './studyStateStore';

/** How often a settled study whose images are still being analysed looks again. */
const ANALYSIS_POLL_MS = 500;

/**
 * 'study.report': once the study has settled (no arrival for settleSeconds) AND every image is
 * analysed or failed, build the three objects from the findings and queue one export per destination
 * and object. Until then the job re-delays itself. Idempotent: the same images and outcomes give the
 * same fingerprint, and an unchanged study is not rebuilt.
 */
export function reportStudyHandler(ctx: PipelineContext) {
  return async ({ studyUid }: { studyUid: string }, job: Job, token?: string): Promise<string> => {
    const settleMs = ctx.config.pipeline.settleSeconds * 1000;
    const summary = await ctx.state.summary(studyUid);
    if (!summary) return 'unknown study';
    const untilSettled = summary.lastImageAt + settleMs - Date.now();
    if (untilSettled > 0) return redelay(job, token, untilSettled);

    const instances = await ctx.state.instances(studyUid);
    const findings = await ctx.state.findings(studyUid);
    if ((await settleOutstanding(ctx, studyUid, instances, findings)) > 0) return redelay(job, token, ANALYSIS_POLL_MS);

    const owner = `${process.pid}:${job.id}:${Date.now()}`;
    const built = await withStudyLock(ctx.state, studyUid, owner, ctx.config.pipeline.stalledSeconds * 1000, () =>
      // No image left: rejection notes took them all.
      instances.length === 0 ? withdrawStudy(ctx, studyUid, summary) : buildAndExport(ctx, studyUid, instances, findings, summary, isFinalAttempt(job)),
    );
    return built ?? redelay(job, token, ANALYSIS_POLL_MS);
  };
}

/**
 * Counts images still on their way. An image whose analysis job ended in failure (its last attempt
 * died, e.g. a worker killed once too often) is recorded as failed here, so the study never waits for
 * it; an image whose job is lost is queued again.
 */
async function settleOutstanding(
  ctx: PipelineContext,
  studyUid: string,
  instances: TrackedInstance[],
  findings: Map<string, ImageFindings>,
): Promise<number> {
  let outstanding = 0;
  for (const instance of instances) {
    if (findings.has(instance.sopInstanceUid)) continue;
    const job = await ctx.queue.getJob('instance.analyse', analyseJobId(instance.sopInstanceUid));
    const state = job ? await job.getState() : 'missing';
    if (job && state === 'failed') {
      const recorded = failedImageFindings(studyUid, instance, `analysis failed: ${job.failedReason ?? 'unknown reason'}`);
      await ctx.state.saveFindings(recorded);
      findings.set(instance.sopInstanceUid, recorded);
      continue;
    }
    if (state === 'missing' || state === 'completed') {
      const { sopInstanceUid, seriesUid, sopClassUid, path: file } = instance;
      await queueAnalysis(ctx.queue, { studyUid, sopInstanceUid, seriesUid, sopClassUid, path: file }, true);
    }
    outstanding += 1;
  }
  return outstanding;
}

async function buildAndExport(
  ctx: PipelineContext,
  studyUid: string,
  instances: TrackedInstance[],
  findings: Map<string, ImageFindings>,
  summary: StudySummary,
  finalAttempt: boolean,
): Promise<string> {
  const callingAe = summary.callingAe;
  const images = instances.map((i) => findings.get(i.sopInstanceUid)!);
  const fingerprint = studyFingerprint(images, summary.generation);
  if (fingerprint === summary.reportedFingerprint) {
    // Same images, same outcomes: the objects exist; only make sure their exports are queued.
    await scheduleExports(ctx, studyUid, fingerprint, await ctx.state.outputs(studyUid), callingAe);
    // A re-sent study set the phase back to receiving: restore what its exports say.
    const records = (await ctx.state.exports(studyUid)).filter((r) => r.fingerprint === fingerprint);
    const delivered = records.length > 0 && records.every((r) => r.outcome === 'delivered');
    await ctx.state.setPhase(studyUid, delivered ? 'exported' : records.some((r) => r.outcome === 'failed') ? 'exportFailed' : 'reported');
    return `unchanged ${fingerprint}`;
  }
  await ctx.state.setPhase(studyUid, 'reporting');
  const headers: SourceHeader[] = [];
  const reportable: ImageFindings[] = [];
  const unreadable: string[] = [];
  for (const instance of instances) {
    try {
      headers.push(readSourceHeader(instance.path));
      reportable.push(findings.get(instance.sopInstanceUid)!);
    } catch (err) {
      unreadable.push(`${instance.sopInstanceUid}: ${(err as Error).message}`);
    }
  }
  if (reportable.length === 0) {
    await ctx.state.setPhase(studyUid, 'exportFailed', 'no image of the study could be read');
    throw new Error(`study ${studyUid}: no image of the study could be read`);
  }
  // A spool file unreadable now (a shared filesystem's hiccup) is retried with backoff; only the last
  // attempt reports without it, since the report cannot describe an image without its header.
  if (unreadable.length > 0 && !finalAttempt) throw new Error(`source header unreadable: ${unreadable.join('; ')}`);
  for (const reason of unreadable) logger.error('source header unreadable, image left out of the report', { studyUid, reason });
  const patients = patientsInStudy(headers);
  if (patients > 1) {
    // Nothing is built or sent, and the job ends here: retrying cannot make the images agree.
    const reason = `its images carry ${patients} different Patient IDs (or issuers): not reported, so no CAD mark reaches another patient's record`;
    logger.warn('study not reported', { studyUid, reason });
    await ctx.state.setPhase(studyUid, 'notReported', reason);
    return `not reported: ${patients} patients`;
  }
  // The partial build is named by the images it holds, so the next report job (a re-sent image, a
  // rerun) rebuilds it with all of them instead of finding it "unchanged".
  const built = unreadable.length > 0 ? studyFingerprint(reportable, summary.generation) : fingerprint;
  const study = { ...ctx.analysis.summarise(reportable), ...(summary.uidEpoch > 0 && { uidEpoch: summary.uidEpoch }) };
  const outDir = path.join(ctx.config.dataDir, 'outputs', studyUid);
  const outputs = await ctx.writeReports(study, headers, outDir, {
    operatingPoint: ctx.config.inference.operatingPoint,
    individualCalcifications: ctx.config.report.individualCalcifications,
  });
  await ctx.state.recordReport(studyUid, built, outputs);
  const queued = await scheduleExports(ctx, studyUid, built, outputs, callingAe);
  logger.info('study reported', {
    studyUid,
    fingerprint: built,
    images: reportable.length,
    failed: reportable.filter((i) => i.status === 'failed').length,
    notAnalysed: reportable.filter((i) => i.status === 'notAnalysed').length,
    ...(unreadable.length > 0 && { leftOut: unreadable.length }),
    exports: queued,
  });
  return `reported ${built}`;
}
