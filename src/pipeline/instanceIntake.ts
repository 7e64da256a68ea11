import * as fs from 'fs';
import type { JobPayloads } from '../queue/jobTypes';
import { JobQueue, jobIdFor } from '../queue/jobQueue';
import { StudyStateStore } from './studyStateStore';
import { scheduleStudyReport } from './reportScheduler';
import { moveFromEarlierStudy } from './instanceMoved';
import type { StudyIndex } from '../store/studyIndex';

export type InstancePayload = JobPayloads['instance.analyse'];

export function analyseJobId(sopInstanceUid: string): string {
  return jobIdFor('instance.analyse', sopInstanceUid);
}

/**
 * What the receiver does once an instance is durable in the spool: record it in the study state
 * (first, so no report can miss it), queue its analysis (starts at once), and (re)start the study's
 * settle window. Safe to repeat for the same instance (startup re-scan, re-sent image). A corrected
 * copy that replaced the stored file (`replaced`) starts a new build generation: its findings stand
 * (the pixels are the same), but the objects are built again from the corrected header and re-sent.
 * An instance a rejection note took out of its study is not taken back: its new copy is deleted. An
 * instance held by another study moves to this one (instanceMoved.ts).
 */
export async function intakeInstance(
  queue: JobQueue,
  state: StudyStateStore,
  settleMs: number,
  payload: InstancePayload,
  opts: { receivedAt?: number; replaced?: boolean; index?: StudyIndex } = {},
): Promise<'queued' | 'previouslyRejected'> {
  const receivedAt = opts.receivedAt ?? Date.now();
  if (await state.isRejected(payload.studyUid, payload.sopInstanceUid)) {
    // A rejection note took it out of the study: a copy sent again (a retry, a re-route) stays out.
    await fs.promises.unlink(payload.path).catch(() => undefined);
    return 'previouslyRejected';
  }
  if (opts.replaced) await state.newGeneration(payload.studyUid);
  const moved = await moveFromEarlierStudy(queue, state, settleMs, payload.studyUid, payload.sopInstanceUid, opts.index);
  await state.recordInstance(
    payload.studyUid,
    {
      sopInstanceUid: payload.sopInstanceUid,
      seriesUid: payload.seriesUid,
      sopClassUid: payload.sopClassUid,
      path: payload.path,
      receivedAt,
    },
    payload.callingAe,
  );
  // A moved instance's job in its earlier study is finished: this study's needs its own run.
  await queueAnalysis(queue, payload, moved);
  await scheduleStudyReport(queue, payload.studyUid, settleMs);
  return 'queued';
}

/**
 * Queues the analysis unless a job for this instance is already queued or running; a finished job
 * (completed or failed) blocks a new one unless `replaceFinished`.
 */
export async function queueAnalysis(queue: JobQueue, payload: InstancePayload, replaceFinished = false): Promise<void> {
  const jobId = analyseJobId(payload.sopInstanceUid);
  if (replaceFinished) {
    const old = await queue.getJob('instance.analyse', jobId);
    if (old && ((await old.isCompleted()) || (await old.isFailed()))) await old.remove().catch(() => undefined);
  }
  await queue.add('instance.analyse', payload, { jobId });
}
