import * as fs from 'fs';
import { auditDeletion } from '../audit/auditDeletion';
import { logger } from '../log/logger';
import type { JobPayloads } from '../queue/jobTypes';
import type { PipelineContext } from '../pipeline/pipelineContext';
import { scheduleStudyReport } from '../pipeline/reportScheduler';
import { readSourceHeader } from '../pipeline/sourceHeader';
import { CAD_OBJECT_SOP_CLASSES } from '../export/storeScu';
import { instancePath } from '../store/spoolPaths';
import { byStudy, readRejectionNote } from './rejectionNote';

/**
 * 'rejection.apply': a PACS or modality rejected instances (IHE IOCM: wrong patient, wrong
 * worklist entry, a bad exposure, retention expired). Each study that held any of them loses them:
 * their findings go, their spool files are deleted (a wrong patient's images must not linger), and
 * the study's objects are built again without them and sent under the same UIDs; a study left
 * without images is withdrawn (reportStudyHandler). Idempotent: applying a note again removes
 * nothing more and builds nothing (a note naming our own objects spends their UIDs once more,
 * which only costs new UIDs).
 */
export function applyRejectionNoteHandler(ctx: PipelineContext) {
  return async (payload: JobPayloads['rejection.apply']): Promise<string> => {
    const note = readRejectionNote(payload.path);
    if (note.kind !== 'rejection') return `not a rejection note: ${note.title}`;
    let removedTotal = 0;
    const known = new Map<string, boolean>();
    for (const [studyUid, refs] of byStudy(note.instances)) {
      const sops = refs.map((r) => r.sopInstanceUid);
      // Only a note naming objects of our classes can name ours: images need no look at our outputs.
      const objectSops = refs.filter((r) => CAD_OBJECT_SOP_CLASSES.includes(r.sopClassUid)).map((r) => r.sopInstanceUid);
      if (objectSops.length > 0) await spendUidsOfRejectedObjects(ctx, studyUid, objectSops);
      const { removed, studyKnown } = await ctx.state.rejectInstances(studyUid, sops, note.titleCode);
      known.set(studyUid, studyKnown);
      await ctx.index?.remove(studyUid, sops);
      await auditDeletion('instances', studyUid, removed, `rejection note: ${note.title}`);
      const files = new Set([...removed.map((r) => r.path), ...sops.map((sop) => instancePath(ctx.config.dataDir, studyUid, sop))]);
      await Promise.all([...files].map((file) => fs.promises.unlink(file).catch(() => undefined)));
      logger.info('rejection note applied', {
        noteUid: payload.sopInstanceUid,
        studyUid,
        title: note.title,
        rejected: sops.length,
        removed: removed.length,
      });
      // Also when nothing was left to remove: an earlier attempt may have removed them and died before
      // this line (a build of an unchanged study is a no-op).
      if (studyKnown)
        await scheduleStudyReport(ctx.queue, studyUid, ctx.config.pipeline.settleSeconds * 1000);
      removedTotal += removed.length;
    }
    // The note stays in the spool (the start-up scan re-applies it should Redis lose its data) only
    // while its study is one we hold: prune removes it with that study.
    const ownStudyKnown = known.get(payload.studyUid) ?? Boolean(await ctx.state.summary(payload.studyUid));
    if (!ownStudyKnown) await fs.promises.unlink(payload.path).catch(() => undefined);
    return `${note.title}: ${removedTotal} of ${note.instances.length} instance(s) removed`;
  };
}

/**
 * A note may reject our own objects (a radiologist rejecting the CAD results): an archive keeps a
 * rejected UID rejected, so the study's next build (a late image) must take new UIDs.
 */
async function spendUidsOfRejectedObjects(ctx: PipelineContext, studyUid: string, sops: readonly string[]): Promise<void> {
  const files = Object.values(await ctx.state.outputs(studyUid));
  const ours = files.filter((file) => {
    try {
      return sops.includes(String(readSourceHeader(file).SOPInstanceUID));
    } catch {
      return false; // pruned or unreadable: nothing of ours to spend
    }
  });
  if (ours.length === 0) return;
  await ctx.state.spendObjectUids(studyUid);
  logger.info('rejection note names our objects: the next build takes new UIDs', { studyUid, objects: ours.length });
}
