import type { Job } from 'bullmq';
import type { ImageFindings } from '../findings/types';
import { implausibleField } from '../imaging/pixelSpacing';
import { analysisSeconds } from '../metrics/metrics';
import { logger } from '../log/logger';
import type { InstancePayload } from './instanceIntake';
import type { PipelineContext } from './pipelineContext';
import { failedImageFindings } from './failedImageFindings';
import { isFinalAttempt } from './finalAttempt';
import { nudgeStudyReport, scheduleStudyReport } from './reportScheduler';

/**
 * 'instance.analyse': analyse one image and keep its findings in the study state. Idempotent: an
 * image with findings already is not analysed again. An error is retried; on the last attempt the
 * image is recorded as failed, so its study's report never waits for it.
 */
export function analyseInstanceHandler(ctx: PipelineContext) {
  return async (payload: InstancePayload, job: Job): Promise<string> => {
    const known = await ctx.state.findings(payload.studyUid);
    const existing = known.get(payload.sopInstanceUid);
    // A failed image is analysed again when its job runs again (an operator's dead-letter retry).
    if (existing?.status === 'analysed') return 'already analysed';
    const { studyUid, sopInstanceUid, seriesUid, sopClassUid } = payload;
    if (await ctx.state.isRejected(studyUid, sopInstanceUid)) return 'rejected';
    await ctx.index?.markReceived(studyUid, { sopInstanceUid, seriesUid, sopClassUid, path: payload.path });
    const started = process.hrtime.bigint();
    logger.info('analysing image', { studyUid, sopInstanceUid, attempt: job.attemptsMade + 1 });
    try {
      const analysed = await ctx.analysis.analyse(payload.path, ctx.config);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The job's UIDs are authoritative (the spool checked them); an unreadable header leaves blanks.
      const findings = {
        ...analysed,
        studyUid,
        sopInstanceUid,
        seriesUid: analysed.seriesUid || seriesUid,
        sopClassUid: analysed.sopClassUid || sopClassUid,
        analysisMs: analysed.analysisMs ?? ms,
      };
      // A rejection note that came during the analysis has the last word.
      if (await ctx.state.isRejected(studyUid, sopInstanceUid)) {
        await ctx.index?.remove(studyUid, [sopInstanceUid]);
        return 'rejected';
      }
      await ctx.state.saveFindings(findings);
      await ctx.index?.setState(studyUid, sopInstanceUid, findings.status, findings.failureReason);
      await wakeReport(ctx, studyUid);
      analysisSeconds.observe({ outcome: findings.status }, ms / 1000);
      warnIfSpacingAssumed(findings);
      logger.info('image analysed', {
        studyUid: payload.studyUid,
        sopInstanceUid: payload.sopInstanceUid,
        status: findings.status,
        // why an image was not analysed (no pixel data, too small, no breast found): sizes and causes, never header values
        ...(findings.failureReason && { reason: findings.failureReason }),
        clusters: findings.clusters.length,
        ms: Math.round(ms),
      });
      return findings.status;
    } catch (err) {
      const reason = (err as Error).message;
      if (!isFinalAttempt(job)) throw err;
      await ctx.state.saveFindings(failedImageFindings(studyUid, payload, `analysis failed: ${reason}`));
      await ctx.index?.setState(studyUid, sopInstanceUid, 'failed', `analysis failed: ${reason}`);
      analysisSeconds.observe({ outcome: 'failed' }, Number(process.hrtime.bigint() - started) / 1e9);
      throw err; // still dead-lettered, with the reason
    }
  };
}

/**
 * An image whose header holds no pixel spacing was analysed at an assumed one (a digitised film's
 * Spatial Resolution, else imaging.defaultSpacingMm): every size in mm rests on that guess, so the
 * operator is told, and told plainly when the image's size shows the guess cannot be right (film
 * digitisers often leave the spacing out).
 */
function warnIfSpacingAssumed(findings: ImageFindings): void {
  const spacingMm = findings.assumedSpacingMm;
  if (spacingMm === undefined) return;
  const fromResolution = findings.assumedSpacingFrom === 'spatialResolution';
  const implausible = implausibleField(findings.rows, findings.columns, [spacingMm, spacingMm]);
  logger.warn(
    fromResolution
      ? "image has no pixel spacing: analysed at the digitised film's Spatial Resolution"
      : 'image has no pixel spacing: analysed at the assumed imaging.defaultSpacingMm',
    {
      studyUid: findings.studyUid,
      sopInstanceUid: findings.sopInstanceUid,
      assumedSpacingMm: spacingMm,
      ...(implausible && { implausible: `${implausible}; set imaging.defaultSpacingMm for this source` }),
    },
  );
}

/**
 * After an image's analysis: past the settle window, wake the study's sleeping report job at once;
 * if the objects were already built (this was a retried image), schedule a new build.
 */
async function wakeReport(ctx: PipelineContext, studyUid: string): Promise<void> {
  const summary = await ctx.state.summary(studyUid);
  if (!summary || Date.now() < summary.lastImageAt + ctx.config.pipeline.settleSeconds * 1000) return;
  if (summary.reportedFingerprint) await scheduleStudyReport(ctx.queue, studyUid, 0);
  else await nudgeStudyReport(ctx.queue, studyUid);
}
