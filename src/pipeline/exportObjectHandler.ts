import type { Job } from 'bullmq';
import { instancesSent, type TransferOutcome } from '../audit/auditEvents';
import { audit } from '../audit/auditTrail';
import { auditedStudy } from '../audit/studyIdentity';
import { requestCommitmentWhenDelivered } from '../commitment/commitmentScheduler';
import { findDestination, type ExportDestination } from '../export/destinations';
import { sendToDestination } from '../export/sendToDestination';
import { logger } from '../log/logger';
import { exportsTotal } from '../metrics/metrics';
import type { JobPayloads } from '../queue/jobTypes';
import type { PipelineContext } from './pipelineContext';
import { requeueExport } from './exportScheduler';
import { isFinalAttempt } from './finalAttempt';

/**
 * 'export.store': send one object to one destination (C-STORE, or STOW-RS to a DICOMweb service). Success and warnings count as delivered;
 * any other outcome throws (typed, with the reason) so BullMQ retries with backoff, and after the
 * last attempt the dead-letter queue keeps the reason. Re-sending is harmless: the object's UIDs are
 * stable, so the destination replaces rather than duplicates.
 */
export function exportObjectHandler(ctx: PipelineContext) {
  return async (payload: JobPayloads['export.store'], job: Job): Promise<string> => {
    const { studyUid, object, destination: label } = payload;
    const fingerprint = payload.fingerprint ?? '';
    const summary = await ctx.state.summary(studyUid);
    // A newer build (a late image, a rerun) has queued its own exports of the same object, which is
    // rewritten in place: this one, still waiting out a PACS outage, would only send it twice.
    if (isSuperseded(payload, summary)) {
      logger.info('export superseded by a newer build', { studyUid, object, destination: label });
      return 'superseded';
    }
    let destination: ExportDestination | undefined;
    try {
      // Inside the try: an export to a destination removed from the configuration must still end
      // as failed (with a dead letter) on its last attempt, not stay "queued" for ever.
      destination = findDestination(ctx.config.export, label, summary?.callingAe);
      if (!destination) throw new Error(`destination ${label} is not configured (any more)`);
      const result = await sendToDestination(ctx.config, destination, payload.path);
      exportsTotal.inc({ destination: label, outcome: result.outcome });
      auditExport(studyUid, payload.path, destination, { outcome: 0 });
      const now = await ctx.state.summary(studyUid);
      if (isSuperseded(payload, now)) {
        // A newer build was reported while this one was on its way: the destination may now hold
        // this older version over the newer one (same UIDs), so the newer one is sent again, to land last.
        const path = object === 'rejectionNote' ? undefined : (await ctx.state.outputs(studyUid))[object];
        if (path) await requeueExport(ctx, { studyUid, object, path, destination: label, fingerprint: now!.reportedFingerprint! }, 'sent again: an older build arrived after it');
        logger.info('export superseded while it was sent; the newer build is sent again', { studyUid, object, destination: label });
        return 'superseded while sent';
      }
      await ctx.state.recordExport(studyUid, { object, destination: label, fingerprint, outcome: 'delivered', detail: result.detail, at: Date.now() });
      await markExportedWhenComplete(ctx, studyUid);
      if (object !== 'rejectionNote') await requestCommitmentWhenDelivered(ctx, studyUid, destination, fingerprint);
      logger.info('object exported', { studyUid, object, destination: label, status: result.detail });
      return result.detail;
    } catch (err) {
      exportsTotal.inc({ destination: label, outcome: 'failed' });
      // A newer build reported while this attempt waited (a late image while the PACS hung) has its
      // own exports, recorded under the same object and destination: this failure must not overwrite
      // its record nor fail the study, and there is nothing left to retry.
      if (isSuperseded(payload, await ctx.state.summary(studyUid))) {
        logger.info('export superseded by a newer build', { studyUid, object, destination: label });
        return 'superseded';
      }
      const reason = (err as Error).message;
      const final = isFinalAttempt(job);
      await ctx.state.recordExport(studyUid, {
        object,
        destination: label,
        fingerprint,
        outcome: final ? 'failed' : 'queued',
        detail: `${final ? 'gave up' : `attempt ${job.attemptsMade + 1} failed`}: ${reason}`,
        at: Date.now(),
      });
      if (final) {
        await ctx.state.setPhase(studyUid, 'exportFailed', reason);
        if (destination) auditExport(studyUid, payload.path, destination, { outcome: 8, description: `gave up: ${reason}` });
      }
      throw err;
    }
  };
}

/** Whether a newer build than the export's has been reported for the study. */
function isSuperseded(payload: JobPayloads['export.store'], summary: { reportedFingerprint?: string } | undefined): boolean {
  return Boolean(payload.fingerprint && summary?.reportedFingerprint && payload.fingerprint !== summary.reportedFingerprint);
}

/** The study is 'exported' once every export of its current build is delivered. */
export async function markExportedWhenComplete(ctx: PipelineContext, studyUid: string): Promise<void> {
  const summary = await ctx.state.summary(studyUid);
  if (!summary?.reportedFingerprint || summary.phase === 'withdrawn') return;
  const current = (await ctx.state.exports(studyUid)).filter((r) => r.fingerprint === summary.reportedFingerprint);
  if (current.length > 0 && current.every((r) => r.outcome === 'delivered')) await ctx.state.setPhase(studyUid, 'exported');
}

/** "DICOM Instances Transferred" (Read) for one object sent, or given up on. */
function auditExport(studyUid: string, file: string, destination: ExportDestination, result: TransferOutcome): void {
  const peer = destination.kind === 'stow' ? { url: destination.url } : { aeTitle: destination.aeTitle, address: destination.host };
  audit(async (self) => instancesSent(self, peer, await auditedStudy(studyUid, [{ path: file }]), result));
}
