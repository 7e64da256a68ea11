import * as fs from 'fs';
import { auditDeletion } from '../audit/auditDeletion';
import { logger } from '../log/logger';
import type { JobQueue } from '../queue/jobQueue';
import type { StudyIndex } from '../store/studyIndex';
import { scheduleStudyReport } from './reportScheduler';
import type { StudyStateStore } from './studyStateStore';

/**
 * An instance received under another Study Instance UID than the study holding it: the PACS moved it
 * (a split or a merge; an archive without IOCM keeps the SOP Instance UID, and dcm4chee-arc's
 * "export previous entity" forwards it so). It leaves the earlier study: its findings and stored copy
 * there go, and that study is built again without it, or withdrawn when it was the last image, so
 * its marks do not stay in both studies. Returns whether it was taken out of one.
 */
export async function moveFromEarlierStudy(
  queue: JobQueue,
  state: StudyStateStore,
  settleMs: number,
  studyUid: string,
  sopInstanceUid: string,
  index?: StudyIndex,
): Promise<boolean> {
  const earlier = await state.studyHolding(sopInstanceUid);
  if (!earlier || earlier === studyUid) return false;
  const moved = await state.moveOut(earlier, sopInstanceUid);
  if (!moved) return false;
  await index?.remove(earlier, [sopInstanceUid]);
  await auditDeletion('instances', earlier, [moved], `moved to study ${studyUid}`);
  await fs.promises.unlink(moved.path).catch(() => undefined);
  logger.info('instance moved to another study', { studyUid, sopInstanceUid, from: earlier });
  await scheduleStudyReport(queue, earlier, settleMs);
  return true;
}
