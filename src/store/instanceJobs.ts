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

/** Rejects after `ms`: ioredis holds commands while Redis is away, and a C-STORE must not hang. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
