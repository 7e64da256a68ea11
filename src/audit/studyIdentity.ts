import { TextDecoder } from 'util';
import { decodeIso2022Text, usesCodeExtensions } from '../dicom/iso2022Text';
import { topLevelValueBytesOfFile } from '../dicom/topLevelValueBytes';
import { countSopClasses, type AuditedStudy } from './auditEvents';

const SPECIFIC_CHARACTER_SET = 0x00080005;
const SOP_CLASS_UID = 0x00080016;
const ACCESSION_NUMBER = 0x00080050;
const PATIENT_NAME = 0x00100010;
const PATIENT_ID = 0x00100020;
const ISSUER_OF_PATIENT_ID = 0x00100021;
const STUDY_INSTANCE_UID = 0x0020000d;

/**
 * The patient and accession number an audit message names for a study, from one of its files (an
 * image we received, or an object we built, which copies them). Only the file's head is read.
 * Nothing is known of a file that cannot be read or walked: the message then names the study only.
 */
export async function studyIdentityFromFile(
  file: string,
): Promise<Pick<AuditedStudy, 'accessionNumber' | 'patient'> & { sopClassUid?: string; studyUid?: string }> {
  const tags = [SPECIFIC_CHARACTER_SET, SOP_CLASS_UID, ACCESSION_NUMBER, PATIENT_NAME, PATIENT_ID, ISSUER_OF_PATIENT_ID, STUDY_INSTANCE_UID];
  const values = await topLevelValueBytesOfFile(file, tags).catch(
    () => new Map<number, Buffer>(),
  );
  const charsets = (values.get(SPECIFIC_CHARACTER_SET)?.toString('latin1') ?? '').split('\\').map((v) => v.trim());
  const text = (tag: number, vr: string): string | undefined => {
    const bytes = values.get(tag);
    const value = bytes ? decodeText(bytes, charsets, vr).replace(/[\0 ]+$/, '').trim() : '';
    return value || undefined;
  };
  const id = text(PATIENT_ID, 'LO');
  const uid = (tag: number) => values.get(tag)?.toString('latin1').replace(/[\0 ]+$/, '') || undefined;
  return {
    sopClassUid: uid(SOP_CLASS_UID),
    studyUid: uid(STUDY_INSTANCE_UID),
    accessionNumber: text(ACCESSION_NUMBER, 'SH'),
    patient: id ? { id, issuer: text(ISSUER_OF_PATIENT_ID, 'LO'), name: text(PATIENT_NAME, 'PN') } : undefined,
  };
}

/** PS3.3 C.12.1.1.2: UTF-8, GB18030/GBK, a single-byte ISO-IR set (its ISO 2022 form decodes alike), or code extensions. */
function decodeText(bytes: Buffer, charsets: string[], vr: string): string {
  const first = charsets[0] ?? '';
  if (usesCodeExtensions(charsets)) return decodeIso2022Text(bytes, charsets, vr);
  if (first === 'ISO_IR 192') return new TextDecoder('utf-8').decode(bytes);
  if (first === 'GB18030' || first === 'GBK') return new TextDecoder('gb18030').decode(bytes);
  const ir = /^ISO_IR (\d+)$/.exec(first)?.[1];
  return ir ? decodeIso2022Text(bytes, [`ISO 2022 IR ${ir}`], vr) : bytes.toString('latin1');
}

/**
 * A study as an audit message names it: the SOP classes of `files` with their counts (a file's own
 * class when the caller does not know it), and the patient and accession number of the first file.
 * Call it before the files are deleted.
 */
export async function auditedStudy(studyUid: string, files: readonly { path: string; sopClassUid?: string }[]): Promise<AuditedStudy> {
  const identity = files.length > 0 ? await studyIdentityFromFile(files[0].path) : {};
  return {
    studyUid,
    sopClasses: countSopClasses(files.map((f) => f.sopClassUid ?? identity.sopClassUid ?? '').filter(Boolean)),
    accessionNumber: identity.accessionNumber,
    patient: identity.patient,
  };
}
