import * as fs from 'fs';
import * as path from 'path';
import { notAnalysedReason, type NotAnalysedRules } from '../dicom/notAnalysedImages';
import { readPart10Header } from '../dicom/part10HeaderReader';
import { logger } from '../log/logger';
import { JobQueue, jobIdFor } from '../queue/jobQueue';
import { KEY_OBJECT_SELECTION_SOP_CLASS } from '../rejection/rejectionNote';
import type { RejectionNotePayload } from '../rejection/queueRejectionNote';
import { InstancePayload, instanceJobId } from './instanceJobs';
import { clearReplacementMarker } from './spoolFileStream';
import { spoolRoot } from './spoolPaths';
import { StudyIndex } from './studyIndex';
import { isValidUid } from './uid';

export interface SpoolScanOptions {
  dataDir: string;
  queue: JobQueue;
  index: StudyIndex;
  analysedSopClasses: readonly string[];
  /** Which images of an analysed class the receiver acknowledged without analysis (kept with keepAcknowledged). */
  notAnalysed: NotAnalysedRules;
  /** Queues one instance (the receiver's enqueue); `replaced`: its objects are to be built again. */
  enqueue(payload: InstancePayload, opts?: { replaced?: boolean }): Promise<unknown>;
  /** Queues a kept rejection note again (after a Redis that lost its data, it must not be forgotten). */
  enqueueRejectionNote(payload: RejectionNotePayload): Promise<void>;
}

export interface SpoolScanResult {
  queued: number;
  alreadyKnown: number;
  notAnalysed: number;
  unreadable: number;
}

/**
 * Re-queues spooled images that have no job and no finished index entry: what was answered
 * Success (or written before a crash or a Redis outage) but never reached the queue; and finishes
 * corrected copies whose rebuild was never queued (a `.replacing` marker beside them). Run at
 * start-up and when Redis comes back. Idempotent: jobs are keyed by SOP Instance UID.
 */
export async function scanSpool(options: SpoolScanOptions): Promise<SpoolScanResult> {
  const result: SpoolScanResult = { queued: 0, alreadyKnown: 0, notAnalysed: 0, unreadable: 0 };
  const root = spoolRoot(options.dataDir);
  const studies = await fs.promises.readdir(root).catch(() => [] as string[]);
  for (const studyUid of studies) {
    if (!isValidUid(studyUid)) continue; // .incoming and anything we did not write
    const files = await fs.promises.readdir(path.join(root, studyUid)).catch(() => [] as string[]);
    // Corrected copies that replaced a stored one but whose rebuild was never queued.
    const replaced = new Set(files.filter((n) => n.endsWith('.dcm.replacing')).map((n) => n.replace(/\.replacing$/, '')));
    for (const name of files) {
      const sopInstanceUid = name.replace(/\.dcm$/, '');
      if (!name.endsWith('.dcm') || !isValidUid(sopInstanceUid)) continue;
      if (
        !replaced.has(name) &&
        ((await options.queue.getJob('instance.analyse', instanceJobId(sopInstanceUid))) ||
          (await options.index.isFinished(studyUid, sopInstanceUid)))
      ) {
        result.alreadyKnown++;
        continue;
      }
      const file = path.join(root, studyUid, name);
      try {
        const { header, sourceAeTitle } = await readPart10Header(file);
        if (header.sopClassUid === KEY_OBJECT_SELECTION_SOP_CLASS && header.studyUid === studyUid && header.sopInstanceUid === sopInstanceUid) {
          // Idempotent: a note applied again removes nothing more.
          if (await options.queue.getJob('rejection.apply', jobIdFor('rejection.apply', sopInstanceUid))) result.alreadyKnown++;
          else {
            await options.enqueueRejectionNote({ studyUid, sopInstanceUid, path: file });
            result.queued++;
          }
          continue;
        }
        if (
          !header.sopClassUid ||
          !options.analysedSopClasses.includes(header.sopClassUid) ||
          notAnalysedReason(header, options.notAnalysed)
        ) {
          result.notAnalysed++;
          continue;
        }
        if (
          header.studyUid !== studyUid ||
          header.sopInstanceUid !== sopInstanceUid ||
          !isValidUid(header.seriesUid)
        ) {
          throw new Error('file content does not match its spool name');
        }
        await options.enqueue(
          {
            studyUid,
            seriesUid: header.seriesUid,
            sopInstanceUid,
            sopClassUid: header.sopClassUid,
            path: file,
            ...(sourceAeTitle ? { callingAe: sourceAeTitle } : {}),
          },
          { replaced: replaced.has(name) },
        );
        if (replaced.has(name)) await clearReplacementMarker(file);
        result.queued++;
      } catch (e) {
        result.unreadable++;
        logger.warn('spooled file not re-queued', { studyUid, sopInstanceUid, reason: (e as Error).message });
      }
    }
  }
  logger.info('spool scan done', { ...result });
  return result;
}
