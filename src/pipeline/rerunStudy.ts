import type { JobQueue } from '../queue/jobQueue';
import { queueAnalysis } from './instanceIntake';
import { scheduleStudyReport } from './reportScheduler';
import type { StudyStateStore } from './studyStateStore';

/**
 * An operator's rerun: every image of the study is analysed again and the objects are rebuilt and
 * exported again (a new generation, so nothing is deduplicated against the earlier run). Their UIDs
 * stay the same, so destinations replace the earlier objects.
 */
export async function rerunStudy(queue: JobQueue, state: StudyStateStore, settleMs: number, studyUid: string): Promise<number> {
  const instances = await state.instances(studyUid);
  if (instances.length === 0) throw new Error(`study ${studyUid} is not known to this node`);
  await state.resetForRerun(studyUid);
  for (const { sopInstanceUid, seriesUid, sopClassUid, path } of instances) {
    await queueAnalysis(queue, { studyUid, sopInstanceUid, seriesUid, sopClassUid, path }, true);
  }
  await scheduleStudyReport(queue, studyUid, settleMs);
  return instances.length;
}
