import * as fs from 'fs';
import { decodeIso2022Text, usesCodeExtensions } from '../dicom/iso2022Text';
import { topLevelValueBytes } from '../dicom/topLevelValueBytes';
import type { SourceHeader } from './reportAdapter';

// dcmjs ships no type declarations.
const dcmjsData: any = require('dcmjs').data;

/**
 * Reads a Part 10 file's dataset up to (not including) Pixel Data and naturalises it: what the
 * reports copy from the source images (patient/study attributes, view, spacing, windows).
 */
export function readSourceHeader(file: string): SourceHeader {
  const bytes = fs.readFileSync(file);
  const message = dcmjsData.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), {
    untilTag: '7FE00010',
    includeUntilTagValue: false,
    ignoreErrors: true,
  });
  const header = dcmjsData.DicomMetaDictionary.naturalizeDataset(message.dict) as SourceHeader;
  // dcmjs keeps the file's own Specific Character Set here (its Value says ISO_IR 192, what it decoded to).
  const characterSets: string[] = message.dict['00080005']?._rawValue ?? [];
  if (usesCodeExtensions(characterSets)) redecodeCopiedText(bytes, header, characterSets);
  return header;
}

/**
 * The copied attributes that hold free text (the others are dates, codes and numbers). The items of
 * Other Patient IDs and Issuer of Accession Number keep dcmjs's reading: IDs are ASCII in practice.
 */
const COPIED_TEXT: ReadonlyArray<[keyword: string, tag: number, vr: string]> = [
  ['PatientName', 0x00100010, 'PN'],
  ['PatientID', 0x00100020, 'LO'],
  ['IssuerOfPatientID', 0x00100021, 'LO'],
  ['ReferringPhysicianName', 0x00080090, 'PN'],
  ['AccessionNumber', 0x00080050, 'SH'],
  ['StudyDescription', 0x00081030, 'LO'],
  ['StudyID', 0x00200010, 'SH'],
];

/** Replaces dcmjs's reading of the copied text with one that follows ISO 2022 code extensions. */
function redecodeCopiedText(file: Buffer, header: SourceHeader, characterSets: string[]): void {
  const raw = topLevelValueBytes(file, COPIED_TEXT.map(([, tag]) => tag));
  for (const [keyword, tag, vr] of COPIED_TEXT) {
    const value = raw.get(tag);
    if (!value) continue;
    const values = decodeIso2022Text(value, characterSets, vr).replace(/[\0 ]+$/, '').split('\\');
    const natural = values.map((v) => (vr === 'PN' ? personName(v) : v.trim()));
    header[keyword] = Array.isArray(header[keyword]) || natural.length > 1 ? natural : natural[0];
  }
}

/** dcmjs's form of a PN value: its alphabetic, ideographic and phonetic groups. */
function personName(value: string): Record<string, string> {
  const [Alphabetic, Ideographic, Phonetic] = value.split('=');
  return { Alphabetic, ...(Ideographic !== undefined && { Ideographic }), ...(Phonetic !== undefined && { Phonetic }) };
}
