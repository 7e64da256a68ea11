import type { JobHandler } from '../queue/jobQueue';
import { readPart10Header } from '../dicom/part10HeaderReader';
import { logger } from '../log/logger';
import { StudyIndex } from '../store/studyIndex';

/**
 * The foundation's 'instance.analyse' handler: read the spooled file's header (never its pixels)
 * and record the instance as "received" in its study's index. Analysis replaces this later.
 */
export function instanceReceivedHandler(index: StudyIndex): JobHandler<'instance.analyse'> {
  return async (payload) => {
    const { header } = await readPart10Header(payload.path);
    if (header.sopInstanceUid !== payload.sopInstanceUid || header.studyUid !== payload.studyUid) {
      throw new Error('spooled file does not hold the instance its job names');
    }
    const recorded = await index.markReceived(payload.studyUid, {
      sopInstanceUid: payload.sopInstanceUid,
      seriesUid: header.seriesUid ?? payload.seriesUid,
      sopClassUid: payload.sopClassUid,
      path: payload.path,
      laterality: header.imageLaterality || header.laterality || undefined,
      view: header.viewPosition || undefined,
    });
    logger.debug('instance indexed', {
      studyUid: payload.studyUid,
      sopInstanceUid: payload.sopInstanceUid,
      recorded,
    });
    return { indexed: recorded };
  };
}
