import * as fs from 'fs';
import { logger } from '../log/logger';
import type { JobPayloads } from '../queue/jobTypes';
import type { PipelineContext } from '../pipeline/pipelineContext';
import { scheduleStudyReport } from '../pipeline/reportScheduler';
import { instancePath } from '../store/spoolPaths';
import { byStudy, readRejectionNote } from './rejectionNote';

/**
 * 'rejection.apply': a PACS or modality rejected instances (IHE IOCM: wrong patient, wrong
 * worklist entry, a bad exposure, retention expired). Each study that held any of them loses them:
 * their findings go, their spool files are deleted (a wrong patient's images must not linger), and
 * the study's objects are built again without them and sent under the same UIDs; a study left
 * without images is withdrawn (reportStudyHandler). Idempotent: applying a note again removes
 * nothing more and builds nothing.
 */
export function applyRejectionNoteHandler(ctx: PipelineContext) {
  return async (payload: JobPayloads['rejection.apply']): Promise<string> => {
    const note = readRejectionNote(payload.path);
    if (note.kind !== 'rejection') return `not a rejection note: ${note.title}`;
    let removedTotal = 0;
    for (const [studyUid, refs] of byStudy(note.instances)) {
      const sops = refs.map((r) => r.sopInstanceUid);
      const removed = await ctx.state.rejectInstances(studyUid, sops, note.titleCode);
      await ctx.index?.remove(studyUid, sops);
      const files = new Set([...removed.map((r) => r.path), ...sops.map((sop) => instancePath(ctx.config.dataDir, studyUid, sop))]);
      await Promise.all([...files].map((file) => fs.promises.unlink(file).catch(() => undefined)));
      logger.info('rejection note applied', {
        noteUid: payload.sopInstanceUid,
        studyUid,
        title: note.title,
        rejected: sops.length,
        removed: removed.length,
      });
      if (removed.length > 0) await scheduleStudyReport(ctx.queue, studyUid, ctx.config.pipeline.settleSeconds * 1000);
      removedTotal += removed.length;
    }
    return `${note.title}: ${removedTotal} of ${note.instances.length} instance(s) removed`;
  };
}
