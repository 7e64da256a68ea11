import { describeFailureReason } from '../export/storageCommitment';
import { logger } from '../log/logger';
import { markExportedWhenComplete } from '../pipeline/exportObjectHandler';
import { requeueExport } from '../pipeline/exportScheduler';
import type { PipelineContext } from '../pipeline/pipelineContext';
import type { JobPayloads } from '../queue/jobTypes';
import { recordCommitment } from './recordCommitment';

/** Times the objects a PACS did not commit are sent again (and commitment asked again) before giving up. */
export const MAX_RESEND_ROUNDS = 2;

/**
 * 'export.commitmentResult': a PACS's answer (N-EVENT-REPORT) to our commitment request. All objects
 * committed: the build is safe there. Otherwise those not committed (failed, or not named at all)
 * are sent again and commitment asked again, up to MAX_RESEND_ROUNDS times; then the study is marked
 * exportFailed with the PACS's reasons. Results of superseded builds or rounds change nothing.
 */
export function commitmentResultHandler(ctx: PipelineContext) {
  return async (payload: JobPayloads['export.commitmentResult']): Promise<string> => {
    const transactionUid = payload.transactionUid;
    const tx = await ctx.state.commitmentTransaction(transactionUid);
    if (!tx) {
      logger.warn('storage commitment result for an unknown transaction', { transactionUid });
      return 'unknown transaction';
    }
    const { studyUid, destination, fingerprint, round } = tx;
    const summary = await ctx.state.summary(studyUid);
    const current = (await ctx.state.commitments(studyUid)).find((r) => r.destination === destination);
    if (summary?.reportedFingerprint !== fingerprint || (current && (current.fingerprint !== fingerprint || current.round !== round)))
      return 'superseded by a newer build or round';
    const record = { destination, fingerprint, transactionUid, round, at: Date.now() };
    const committed = new Set(payload.committed.map((o) => o.sopInstanceUid));
    const missing = tx.objects.filter((o) => !committed.has(o.sopInstanceUid));
    if (missing.length === 0) {
      await recordCommitment(ctx, studyUid, { ...record, outcome: 'committed', detail: `${tx.objects.length} object(s) committed` });
      // A result after the timeout marked the study exportFailed: it is exported after all.
      if (summary.phase === 'exportFailed') await markExportedWhenComplete(ctx, studyUid);
      logger.info('storage committed', { studyUid, destination, transactionUid, objects: tx.objects.length });
      return 'committed';
    }
    const reasons = missing
      .map((o) => {
        const reason = payload.failed.find((f) => f.sopInstanceUid === o.sopInstanceUid)?.reason;
        return `${o.object}: ${reason === undefined ? 'not named in the result' : describeFailureReason(reason)}`;
      })
      .join('; ');
    if (round >= MAX_RESEND_ROUNDS) {
      await recordCommitment(ctx, studyUid, { ...record, outcome: 'failed', detail: `not committed after ${round} resend(s): ${reasons}` });
      await ctx.state.setPhase(studyUid, 'exportFailed', `storage commitment at ${destination}: ${reasons}`);
      logger.warn('storage commitment failed', { studyUid, destination, transactionUid, reasons });
      return `failed: ${reasons}`;
    }
    // Send them again; once delivered, requestCommitmentWhenDelivered asks again for the next round.
    await recordCommitment(ctx, studyUid, { ...record, round: round + 1, outcome: 'resending', detail: `not committed: ${reasons}; sent again` });
    logger.warn('storage commitment incomplete, sending again', { studyUid, destination, transactionUid, reasons });
    const outputs = await ctx.state.outputs(studyUid);
    for (const { object } of missing) {
      const path = outputs[object];
      if (!path) continue; // pruned meanwhile
      await requeueExport(ctx, { studyUid, object, path, destination, fingerprint }, 'sent again: not committed');
    }
    return `resending ${missing.length} object(s): ${reasons}`;
  };
}
