import * as path from 'path';
import { isValidUid } from './uid';

/** `<dataDir>/spool`: one folder per study, one Part 10 file per SOP instance. */
export function spoolRoot(dataDir: string): string {
  return path.join(dataDir, 'spool');
}

/** Temp files being received live beside the study folders (same file system, so rename is atomic). */
export function incomingDir(dataDir: string): string {
  return path.join(spoolRoot(dataDir), '.incoming');
}

/** `<dataDir>/spool/<StudyInstanceUID>/<SOPInstanceUID>.dcm`, only ever from validated UIDs. */
export function instancePath(dataDir: string, studyUid: string, sopInstanceUid: string): string {
  if (!isValidUid(studyUid) || !isValidUid(sopInstanceUid)) {
    throw new Error('spool paths are built from valid UIDs only');
  }
  return path.join(spoolRoot(dataDir), studyUid, `${sopInstanceUid}.dcm`);
}

/**
 * Beside a stored instance while a corrected copy that replaced it waits to be queued: its study's
 * objects are still built from the replaced copy. The next copy received, or the start-up scan,
 * finishes the replacement if the queue was not reached (a crash, Redis away).
 */
export function replacementMarkerPath(instanceFile: string): string {
  return `${instanceFile}.replacing`;
}
