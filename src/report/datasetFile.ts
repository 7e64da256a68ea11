import { implementationClassUid, implementationVersionName } from './uids';
import type { NaturalDataset } from './naturalDataset';

// dcmjs ships no type declarations.
const dcmjs: any = require('dcmjs');

const explicitVrLittleEndian = '1.2.840.10008.1.2.1';

/**
 * A DICOM Part 10 file (preamble, File Meta Information, Explicit VR Little Endian data set) for a
 * naturalized dataset. The meta header names mammocad as the implementation, not dcmjs.
 */
export function datasetToPart10(dataset: NaturalDataset): Buffer {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: explicitVrLittleEndian,
    ImplementationClassUID: implementationClassUid,
    ImplementationVersionName: implementationVersionName,
  };
  const body: NaturalDataset = { ...dataset };
  delete body._meta;
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(body);
  return Buffer.from(dict.write());
}

/** Reads a Part 10 file into a naturalized dataset (with its meta header under `_meta`). */
export function part10ToDataset(bytes: Buffer | Uint8Array): NaturalDataset {
  const { DicomMessage, DicomMetaDictionary } = dcmjs.data;
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const file = DicomMessage.readFile(ab);
  const dataset = DicomMetaDictionary.naturalizeDataset(file.dict);
  dataset._meta = DicomMetaDictionary.naturalizeDataset(file.meta);
  return dataset;
}
