import { logger } from '../log/logger';
import type { PipelineContext } from '../pipeline/pipelineContext';
import type { JobPayloads } from '../queue/jobTypes';
import { recordCommitment } from './recordCommitment';

/**
 * 'export.commitmentTimeout': export.commitmentTimeoutHours after a request. If its result has not
 * come (the destination's commitment still names this transaction as requested), the study is
 * marked exportFailed: the PACS cannot reach our receiver, or lost the request. A result, a newer
 * round or a newer build since then leaves it alone.
 */
export function commitmentTimeoutHandler(ctx: PipelineContext) {
  return async (payload: JobPayloads['export.commitmentTimeout']): Promise<string> => {
    const { studyUid, destination, transactionUid } = payload;
    const current = (await ctx.state.commitments(studyUid)).find((r) => r.destination === destination);
    if (current?.transactionUid !== transactionUid || current.outcome !== 'requested') return 'answered or superseded';
    const hours = ctx.config.export.commitmentTimeoutHours;
    const reason = `no storage commitment result from ${destination} within ${hours} h`;
    await recordCommitment(ctx, studyUid, { ...current, outcome: 'failed', detail: reason, at: Date.now() });
    await ctx.state.setPhase(studyUid, 'exportFailed', reason);
    logger.warn('storage commitment unanswered', { studyUid, destination, transactionUid, hours });
    return reason;
  };
}
