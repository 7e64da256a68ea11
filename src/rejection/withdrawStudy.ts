import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { datasetToPart10 } from '../dicom/datasetFile';
import { logger } from '../log/logger';
import type { ReportObjectKind } from '../queue/jobTypes';
import { queueExport } from '../pipeline/exportScheduler';
import type { PipelineContext } from '../pipeline/pipelineContext';
import { readSourceHeader } from '../pipeline/sourceHeader';
import type { StudySummary } from '../pipeline/studyStateStore';
import { buildRejectionNote } from '../report/rejectionNoteDocument';
import { REJECTION_TITLES } from './rejectionNote';

/**
 * A study all of whose images rejection notes took away (wrong patient, wrong worklist entry, every
 * view retaken) or that moved to another study (a move gives our note the title Incorrect Modality
 * Worklist Entry). Nothing more is built for it, exports of earlier builds still waiting are dropped
 * (superseded), and each destination that holds CAD objects of it gets a rejection note of ours,
 * with the same title, for exactly the objects it holds: an IOCM archive then hides them as it hid
 * the images, so no CAD marks stay in a record the images have left. Idempotent: the notes' UIDs
 * follow from the objects, and so does the withdrawal's fingerprint.
 */
export async function withdrawStudy(ctx: PipelineContext, studyUid: string, summary: StudySummary): Promise<string> {
  const gone = (await ctx.state.rejectedCount(studyUid)) + summary.movedOut;
  if (gone === 0) return 'no images';
  const titleCode = summary.rejectionTitle && REJECTION_TITLES[summary.rejectionTitle] ? summary.rejectionTitle : '113001';
  const reason = `all ${gone} image(s) of the study were rejected or moved to another study (last: ${REJECTION_TITLES[titleCode]})`;
  const outputs = await ctx.state.outputs(studyUid);
  const records = await ctx.state.exports(studyUid);
  // What each destination holds: the objects delivered there (any build: the UIDs are the same).
  const held = new Map<string, Set<ReportObjectKind>>();
  for (const r of records) {
    if (r.outcome !== 'delivered' || r.object === 'rejectionNote' || !outputs[r.object]) continue;
    held.set(r.destination, (held.get(r.destination) ?? new Set()).add(r.object));
  }
  const notes = new Map<string, { file: string; destinations: string[] }>();
  for (const [destination, objects] of held) {
    const file = await writeRejectionNote(ctx, studyUid, titleCode, [...objects].sort().map((o) => outputs[o]!));
    notes.set(file, { file, destinations: [...(notes.get(file)?.destinations ?? []), destination] });
  }
  const fingerprint = `withdrawn-${createHash('sha256').update([...notes.keys()].sort().join('|')).digest('hex').slice(0, 16)}`;
  await ctx.state.recordWithdrawal(studyUid, fingerprint, reason, notes.size > 0);
  for (const { file, destinations } of notes.values()) {
    for (const destination of destinations)
      await queueExport(ctx, { studyUid, object: 'rejectionNote', path: file, destination, fingerprint }, records);
  }
  logger.warn('study withdrawn', { studyUid, reason, rejectionNotesTo: held.size });
  return `withdrawn ${fingerprint}`;
}

/** Writes our rejection note for the given object files; its name is its (deterministic) SOP Instance UID. */
async function writeRejectionNote(ctx: PipelineContext, studyUid: string, titleCode: string, objectFiles: string[]): Promise<string> {
  const headers = objectFiles.map((f) => readSourceHeader(f));
  const note = buildRejectionNote({
    titleCode,
    studyUid,
    studyHeader: headers[0],
    objects: headers.map((h) => ({ seriesUid: String(h.SeriesInstanceUID), sopClassUid: String(h.SOPClassUID), sopInstanceUid: String(h.SOPInstanceUID) })),
    description: 'CAD results withdrawn: their images were rejected',
  });
  const file = path.join(ctx.config.dataDir, 'outputs', studyUid, `rejection-${note.SOPInstanceUID}.dcm`);
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, datasetToPart10(note));
  await fs.rename(tmp, file);
  return file;
}
