// dcmjs ships without type declarations; this module is the only place that touches its API.
const dcmjs = require('dcmjs') as any;

export type NaturalDataset = Record<string, unknown>;

/** Serialises a naturalized dcmjs dataset as a Part 10 file in Explicit VR Little Endian. */
export function naturalDatasetToPart10(dataset: NaturalDataset): Buffer {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'MAMMOCAD_SYNTH',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return Buffer.from(dict.write() as ArrayBuffer);
}

/** Reads a Part 10 file back into a naturalized dataset (used by tests and tools). */
export function part10ToNaturalDataset(file: Buffer): NaturalDataset {
  const { DicomMessage, DicomMetaDictionary } = dcmjs.data;
  const arrayBuffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
  const dict = DicomMessage.readFile(arrayBuffer);
  const dataset = DicomMetaDictionary.naturalizeDataset(dict.dict) as NaturalDataset;
  dataset._meta = DicomMetaDictionary.naturalizeDataset(dict.meta);
  return dataset;
}

/** A fixed implementation root under 2.25 (a UUID as integer), used only by the synthetic writer. */
export const IMPLEMENTATION_CLASS_UID = '2.25.186484839240167930372958323364152770091';
