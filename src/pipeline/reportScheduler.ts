import type { Job } from 'bullmq';
import { JobQueue, jobIdFor } from '../queue/jobQueue';

/** The report job of a study, and its follow-up used while the first one is running. */
export function reportJobIds(studyUid: string): [string, string] {
  const main = jobIdFor('study.report', studyUid);
  return [main, `${main}-followup`];
}

/**
 * Debounce per StudyInstanceUID: makes sure a 'study.report' job will run `settleMs` after now. A
 * delayed job gets its delay reset; a finished one is replaced (a late image makes a new report);
 * a waiting one is left alone (it re-checks the settle window when it runs); while one is running,
 * a follow-up job takes the new image, so an arrival is never lost to a report already under way.
 * The report handler itself re-delays until the study has settled, so races here only cost a
 * moment, never a report.
 */
export async function scheduleStudyReport(queue: JobQueue, studyUid: string, settleMs: number): Promise<void> {
  for (const jobId of reportJobIds(studyUid)) {
    const job = await queue.getJob('study.report', jobId);
    const state = job ? await job.getState() : 'missing';
    if (state === 'active') continue; // try the follow-up slot
    if (job && state === 'delayed') {
      if (await tryChangeDelay(job, settleMs)) return;
      continue;
    }
    if (state === 'waiting' || state === 'prioritized' || state === 'waiting-children') return;
    if (job && (state === 'completed' || state === 'failed')) await job.remove().catch(() => undefined);
    await queue.add('study.report', { studyUid }, { jobId, delay: settleMs });
    return;
  }
  // Both slots running: the follow-up, when it finishes, sees this arrival in the study state.
}

async function tryChangeDelay(job: Job, delayMs: number): Promise<boolean> {
  try {
    await job.changeDelay(delayMs);
    return true;
  } catch {
    // It left the delayed set meanwhile (started): the caller looks at the next slot.
    return false;
  }
}

/**
 * Wakes a study's sleeping report job now (after an image's analysis finished) instead of at its next
 * poll; the job itself re-checks settle window and readiness, so an early wake costs nothing.
 */
export async function nudgeStudyReport(queue: JobQueue, studyUid: string): Promise<void> {
  for (const jobId of reportJobIds(studyUid)) {
    const job = await queue.getJob('study.report', jobId);
    if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
  }
}
