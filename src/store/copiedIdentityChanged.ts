import { topLevelValueBytesOfFile } from '../dicom/topLevelValueBytes';

/**
 * The patient and order attributes the produced objects copy from the images (src/report's
 * documentHeader), and the character set their text is in. A PACS that corrects them (the wrong
 * patient or accession number picked at the modality) sends the images again with the same SOP
 * Instance UIDs; the corrected copy must then replace the stored one, or the objects would keep
 * carrying the old values.
 */
const COPIED_IDENTITY_TAGS = [
  0x00080005, // Specific Character Set
  0x00080050, // Accession Number
  0x00080090, // Referring Physician's Name
  0x00100010, // Patient's Name
  0x00100020, // Patient ID
  0x00100021, // Issuer of Patient ID
  0x00100030, // Patient's Birth Date
  0x00100040, // Patient's Sex
  0x00200010, // Study ID
];

/**
 * Whether a re-sent copy of an instance differs from the stored one in what the objects copy about
 * the patient and the order. Values compare as stored, less their padding. A file whose head cannot
 * be walked (big endian, deflated, damaged) counts as unchanged: the first copy is kept.
 */
export async function copiedIdentityChanged(storedFile: string, incomingFile: string): Promise<boolean> {
  const [stored, incoming] = await Promise.all([storedFile, incomingFile].map((f) => topLevelValueBytesOfFile(f, COPIED_IDENTITY_TAGS)));
  if (stored.size === 0 || incoming.size === 0) return false;
  return COPIED_IDENTITY_TAGS.some((tag) => !sameValue(stored.get(tag), incoming.get(tag)));
}

function sameValue(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return unpadded(a).equals(unpadded(b));
}

function unpadded(value: Buffer | undefined): Buffer {
  if (!value) return Buffer.alloc(0);
  let end = value.length;
  while (end > 0 && (value[end - 1] === 0x20 || value[end - 1] === 0x00)) end--;
  return value.subarray(0, end);
}
