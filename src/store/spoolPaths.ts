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
