import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from './implementationIdentity';
import { TransferSyntaxUid } from './transferSyntaxUid';

// dcmjs ships no type declarations.
const dcmjs: any = require('dcmjs');

/**
 * A DICOM dataset in dcmjs "naturalized" form: attribute keywords as keys, sequences as arrays of
 * datasets. dcmjs ships no types, so this is the one loose type passed around.
 */
export type NaturalDataset = Record<string, any>;

/** Who wrote a file: File Meta Information (0002,0012) and (0002,0013). */
export interface ImplementationIdentity {
  classUid: string;
  versionName: string;
}

const MAMMOCAD: ImplementationIdentity = { classUid: IMPLEMENTATION_CLASS_UID, versionName: IMPLEMENTATION_VERSION_NAME };

/**
 * A DICOM Part 10 file (preamble, File Meta Information, Explicit VR Little Endian data set) for a
 * naturalized dataset. The meta header names mammocad (or the given implementation), not dcmjs.
 */
export function datasetToPart10(dataset: NaturalDataset, writer: ImplementationIdentity = MAMMOCAD): Buffer {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: TransferSyntaxUid.explicitVrLittleEndian,
    ImplementationClassUID: writer.classUid,
    ImplementationVersionName: writer.versionName,
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
