import type { JobPayloads } from '../queue/jobTypes';
import { JobQueue, jobIdFor } from '../queue/jobQueue';

export type CommitmentResultPayload = JobPayloads['export.commitmentResult'];

/** One job per result, keyed by its Transaction UID and content: a PACS repeating the same report is not queued twice. */
export async function queueCommitmentResult(queue: JobQueue, payload: CommitmentResultPayload): Promise<void> {
  const outcome = `${payload.committed.length}-${payload.failed.length}`;
  await queue.add('export.commitmentResult', payload, { jobId: jobIdFor('export.commitmentResult', `${payload.transactionUid}-${outcome}`) });
}
