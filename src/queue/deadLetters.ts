import type { Job } from 'bullmq';
import { JobQueue } from './jobQueue';
import { DEAD_LETTER_QUEUE, DeadLetter } from './jobTypes';

export interface DeadLetterEntry {
  /** Id of the dead-letter entry (what `dead-letters retry <id>` takes). */
  id: string;
  letter: DeadLetter;
}

/** Dead letters, oldest first. The dead-letter queue has no worker: its entries simply wait. */
export async function listDeadLetters(queue: JobQueue): Promise<DeadLetterEntry[]> {
  const jobs: Job<DeadLetter>[] = await queue.queue(DEAD_LETTER_QUEUE).getJobs(['waiting', 'paused', 'delayed', 'prioritized']);
  return jobs
    .filter((j) => j && j.id)
    .sort((a, b) => a.timestamp - b.timestamp)
    .map((j) => ({ id: String(j.id), letter: j.data }));
}

/**
 * Runs a dead-lettered job again with a fresh set of attempts: the original job (still kept in its
 * stage's failed set) is retried in place; if it has been cleaned away it is added anew under a
 * derived id. The dead-letter entry is removed once the job is back in its queue.
 */
export async function retryDeadLetter(queue: JobQueue, id: string): Promise<string> {
  const entry = await queue.queue(DEAD_LETTER_QUEUE).getJob(id);
  if (!entry) throw new Error(`no dead letter with id ${id}`);
  const letter = entry.data as DeadLetter;
  const original = await queue.getJob(letter.jobName, letter.jobId);
  let how: string;
  if (original && (await original.isFailed())) {
    await original.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    how = `job ${letter.jobId} retried`;
  } else {
    const jobId = `${letter.jobId}-retry-${Date.now()}`;
    await queue.add(letter.jobName, letter.payload as never, { jobId });
    how = `job re-added as ${jobId}`;
  }
  await entry.remove();
  return how;
}
