import * as fs from 'fs';
import { part10ToDataset, type NaturalDataset } from '../dicom/datasetFile';
import { isValidUid } from '../store/uid';

/** Key Object Selection Document Storage: the SOP class of IHE IOCM rejection notes. */
export const KEY_OBJECT_SELECTION_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.88.59';

/**
 * The Key Object Selection document titles (PS3.16 CID 7010) that reject the instances they
 * reference: IHE Imaging Object Change Management, and Rejection Note Stored (RAD-66) of IHE
 * Mammography Acquisition Workflow. Any other title ("Of Interest", a teaching file) only points
 * at images and changes nothing.
 */
export const REJECTION_TITLES: Readonly<Record<string, string>> = {
  '113001': 'Rejected for Quality Reasons',
  '113037': 'Rejected for Patient Safety Reasons',
  '113038': 'Incorrect Modality Worklist Entry',
  '113039': 'Data Retention Policy Expired',
};

export interface RejectedInstance {
  studyUid: string;
  seriesUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
}

export type RejectionNoteReading =
  | { kind: 'rejection'; titleCode: string; title: string; instances: RejectedInstance[] }
  | { kind: 'other'; title: string };

/**
 * Reads a received Key Object Selection document: its title, and when that is a rejection, every
 * instance its Current Requested Procedure Evidence Sequence (Type 1: all the instances the
 * document references, by study and series) names. Throws on a document that is not one.
 */
export function readRejectionNote(file: string): RejectionNoteReading {
  const ds = part10ToDataset(fs.readFileSync(file));
  if (ds.SOPClassUID !== KEY_OBJECT_SELECTION_SOP_CLASS) throw new Error(`not a Key Object Selection document (SOP class ${ds.SOPClassUID})`);
  const title = first(ds.ConceptNameCodeSequence);
  if (!title?.CodeValue) throw new Error('Key Object Selection document without a title (Concept Name Code Sequence)');
  const code = String(title.CodeValue).trim();
  const scheme = String(title.CodingSchemeDesignator ?? '').trim();
  const meaning = String(title.CodeMeaning ?? code);
  if (scheme !== 'DCM' || !REJECTION_TITLES[code]) return { kind: 'other', title: `(${code}, ${scheme}, "${meaning}")` };
  const instances: RejectedInstance[] = [];
  for (const study of items(ds.CurrentRequestedProcedureEvidenceSequence)) {
    for (const series of items(study.ReferencedSeriesSequence)) {
      for (const sop of items(series.ReferencedSOPSequence)) {
        const instance = {
          studyUid: study.StudyInstanceUID,
          seriesUid: series.SeriesInstanceUID,
          sopClassUid: sop.ReferencedSOPClassUID,
          sopInstanceUid: sop.ReferencedSOPInstanceUID,
        };
        // Only valid UIDs ever name a spool file or a Redis key.
        if (![instance.studyUid, instance.seriesUid, instance.sopInstanceUid].every(isValidUid))
          throw new Error('rejection note references an instance by an invalid UID');
        instances.push(instance);
      }
    }
  }
  if (instances.length === 0) throw new Error('rejection note references no instance (empty Current Requested Procedure Evidence Sequence)');
  return { kind: 'rejection', titleCode: code, title: REJECTION_TITLES[code], instances };
}

function items(value: unknown): NaturalDataset[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]) as NaturalDataset[];
}

function first(value: unknown): NaturalDataset | undefined {
  return items(value)[0];
}

/** The rejected instances grouped by study. */
export function byStudy(instances: readonly RejectedInstance[]): Map<string, RejectedInstance[]> {
  const studies = new Map<string, RejectedInstance[]>();
  for (const i of instances) studies.set(i.studyUid, [...(studies.get(i.studyUid) ?? []), i]);
  return studies;
}
