import type { ExportDestination } from '../export/destinations';
import { jobIdFor } from '../queue/jobQueue';
import type { PipelineContext } from '../pipeline/pipelineContext';

export function commitJobId(studyUid: string, destination: string, fingerprint: string, round: number): string {
  return jobIdFor('export.commit', `${studyUid}-${destination}-${fingerprint}-${round}`);
}

/**
 * Called after each delivered export: once every object of this build is at a destination marked
 * `storageCommitment`, ask it to commit (one request per build and round: the job id says so, and
 * a request already made is not made again unless its objects are being sent again).
 */
export async function requestCommitmentWhenDelivered(
  ctx: PipelineContext,
  studyUid: string,
  destination: ExportDestination,
  fingerprint: string,
): Promise<void> {
  if (destination.kind !== 'dimse' || !destination.storageCommitment || !fingerprint) return;
  const exports = (await ctx.state.exports(studyUid)).filter((r) => r.destination === destination.label && r.fingerprint === fingerprint);
  if (exports.length === 0 || exports.some((r) => r.outcome !== 'delivered')) return;
  const record = (await ctx.state.commitments(studyUid)).find((r) => r.destination === destination.label && r.fingerprint === fingerprint);
  if (record && record.outcome !== 'resending') return;
  const round = record?.round ?? 0;
  const payload = { studyUid, destination: destination.label, fingerprint, round };
  await ctx.queue.add('export.commit', payload, { jobId: commitJobId(studyUid, destination.label, fingerprint, round) });
}
