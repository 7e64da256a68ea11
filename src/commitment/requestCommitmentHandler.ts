import type { Job } from 'bullmq';
import { findDestination } from '../export/destinations';
import { dimseOptions } from '../export/sendToDestination';
import { requestStorageCommitment } from '../export/storageCommitment';
import { logger } from '../log/logger';
import { isFinalAttempt } from '../pipeline/finalAttempt';
import type { PipelineContext } from '../pipeline/pipelineContext';
import { readSourceHeader } from '../pipeline/sourceHeader';
import { jobIdFor } from '../queue/jobQueue';
import type { JobPayloads } from '../queue/jobTypes';
import { deterministicUid } from '../report/uids';
import { recordCommitment } from './recordCommitment';

/**
 * 'export.commit': sends the Storage Commitment request (N-ACTION) for a build's objects at one
 * destination. The Transaction UID is kept with what it asked, for the result that comes later to
 * our receiver, and a check is queued for when that result is overdue. A refused or unanswered
 * request is retried like an export, then dead-lettered.
 */
export function requestCommitmentHandler(ctx: PipelineContext) {
  return async (payload: JobPayloads['export.commit'], job: Job): Promise<string> => {
    const { studyUid, destination: label, fingerprint, round } = payload;
    const summary = await ctx.state.summary(studyUid);
    if (summary?.reportedFingerprint !== fingerprint) return 'superseded by a newer build';
    // One UID per build, destination and round: a retried request repeats its transaction.
    const transactionUid = deterministicUid('storage commitment', studyUid, label, fingerprint, String(round));
    const record = { destination: label, fingerprint, transactionUid, round, at: Date.now() };
    const current = (await ctx.state.commitments(studyUid)).find((r) => r.destination === label);
    // An earlier attempt's request reached the PACS although its answer did not reach us.
    if (current?.transactionUid === transactionUid && current.outcome !== 'requested') return `result already in: ${current.outcome}`;
    try {
      const destination = findDestination(ctx.config.export, label, summary.callingAe);
      if (destination?.kind !== 'dimse') throw new Error(`destination ${label} is not configured (any more)`);
      const outputs = await ctx.state.outputs(studyUid);
      const objects = destination.objects.flatMap((object) => {
        const file = outputs[object];
        if (!file) return [];
        const header = readSourceHeader(file);
        return [{ object, sopClassUid: String(header.SOPClassUID), sopInstanceUid: String(header.SOPInstanceUID) }];
      });
      // Recorded before the request goes: a PACS may answer on its own association before ours is released.
      await ctx.state.saveCommitmentTransaction(transactionUid, { studyUid, destination: label, fingerprint, round, objects });
      await recordCommitment(ctx, studyUid, { ...record, outcome: 'requested', detail: `${objects.length} object(s), no result yet` });
      await ctx.queue.add(
        'export.commitmentTimeout',
        { studyUid, destination: label, transactionUid },
        { jobId: jobIdFor('export.commitmentTimeout', transactionUid), delay: ctx.config.export.commitmentTimeoutHours * 3600_000 },
      );
      await requestStorageCommitment(destination, transactionUid, objects, dimseOptions(ctx.config, destination));
      logger.info('storage commitment requested', { studyUid, destination: label, transactionUid, objects: objects.length });
      return `requested (${transactionUid})`;
    } catch (err) {
      const latest = (await ctx.state.commitments(studyUid)).find((r) => r.destination === label);
      if (isFinalAttempt(job) && (latest?.transactionUid !== transactionUid || latest.outcome === 'requested')) {
        const reason = (err as Error).message;
        await recordCommitment(ctx, studyUid, { ...record, outcome: 'failed', detail: `request gave up: ${reason}` });
        await ctx.state.setPhase(studyUid, 'exportFailed', `storage commitment at ${label}: ${reason}`);
      }
      throw err;
    }
  };
}
