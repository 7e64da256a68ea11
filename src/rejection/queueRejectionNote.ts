import type { JobPayloads } from '../queue/jobTypes';
import { JobQueue, jobIdFor } from '../queue/jobQueue';

export type RejectionNotePayload = JobPayloads['rejection.apply'];

/** One job per note, keyed by its SOP Instance UID: the same note received again is not queued twice. */
export async function queueRejectionNote(queue: JobQueue, payload: RejectionNotePayload): Promise<void> {
  await queue.add('rejection.apply', payload, { jobId: jobIdFor('rejection.apply', payload.sopInstanceUid) });
}
