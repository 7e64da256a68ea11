import type { JobQueue } from '../queue/jobQueue';
import { queueAnalysis } from './instanceIntake';
import { scheduleStudyReport } from './reportScheduler';
import type { StudyStateStore } from './studyStateStore';

/**
 * An operator's rerun: every image of the study is analysed again and the objects are rebuilt and
 * exported again (a new generation, so nothing is deduplicated against the earlier run). Their UIDs
 * stay the same, so destinations replace the earlier objects.
 *
 * A study still receiving or reporting is refused unless forced: its images are being analysed
 * already, and a rerun would throw away findings mid-report and analyse everything twice. Force is
 * for a study stuck in one of those phases.
 */
export async function rerunStudy(
  queue: JobQueue,
  state: StudyStateStore,
  settleMs: number,
  studyUid: string,
  options: { force?: boolean } = {},
): Promise<number> {
  const instances = await state.instances(studyUid);
  if (instances.length === 0) throw new Error(`study ${studyUid} is not known to this node`);
  const summary = await state.summary(studyUid);
  if (!options.force && summary && (summary.phase === 'receiving' || summary.phase === 'reporting')) {
    const idleSeconds = Math.round((Date.now() - summary.lastImageAt) / 1000);
    throw new Error(
      `study ${studyUid} is still ${summary.phase} (last image ${idleSeconds} s ago): rerun it once it is reported, or with --force if it is stuck`,
    );
  }
  await state.resetForRerun(studyUid);
  for (const { sopInstanceUid, seriesUid, sopClassUid, path } of instances) {
    await queueAnalysis(queue, { studyUid, sopInstanceUid, seriesUid, sopClassUid, path }, true);
  }
  await scheduleStudyReport(queue, studyUid, settleMs);
  return instances.length;
}
