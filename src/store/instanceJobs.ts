import { JobPayloads } from '../queue/jobTypes';
import { JobQueue, jobIdFor } from '../queue/jobQueue';

export type InstancePayload = JobPayloads['instance.analyse'];

/** One job per SOP instance: the job id is derived from its UID, so queuing again is a no-op. */
export function instanceJobId(sopInstanceUid: string): string {
  return jobIdFor('instance.analyse', sopInstanceUid);
}

export async function enqueueInstance(queue: JobQueue, payload: InstancePayload): Promise<void> {
  await queue.add('instance.analyse', payload, { jobId: instanceJobId(payload.sopInstanceUid) });
}
