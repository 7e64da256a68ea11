import * as fs from 'fs';
import * as path from 'path';
import * as crypto from 'crypto';
// dcmjs ships without type declarations.
const { DicomDict, DicomMetaDictionary } = (require('dcmjs') as any).data;

export const MG_FOR_PRESENTATION = '1.2.840.10008.5.1.4.1.1.1.2';
export const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
export const IMPLICIT_VR_LE = '1.2.840.10008.1.2';

export interface MgFixtureOptions {
  studyUid?: string;
  seriesUid?: string;
  sopInstanceUid?: string;
  sopClassUid?: string;
  rows?: number;
  columns?: number;
  laterality?: 'L' | 'R';
  viewPosition?: string;
  transferSyntaxUid?: string;
  patientId?: string;
  /** Image Type (0008,0008); absent unless given. */
  imageType?: string[];
  /** Quality Control Image (0028,0300); absent unless given. */
  qualityControlImage?: 'YES' | 'NO' | 'BOTH';
  /** Leave these attributes out of the dataset (to build bad inputs). */
  omit?: string[];
}

/** A fresh UID under 2.25 (UUID-derived), valid by construction. */
export function testUid(): string {
  return '2.25.' + BigInt('0x' + crypto.randomBytes(16).toString('hex')).toString();
}

/**
 * Writes a small synthetic MG image (no real patient: the name and ID are made up) as a Part 10
 * file and returns its path and UIDs. The pixel data is a deterministic ramp.
 */
export function writeMgFixture(dir: string, opts: MgFixtureOptions = {}) {
  const rows = opts.rows ?? 256;
  const columns = opts.columns ?? 256;
  const studyUid = opts.studyUid ?? testUid();
  const seriesUid = opts.seriesUid ?? testUid();
  const sopInstanceUid = opts.sopInstanceUid ?? testUid();
  const sopClassUid = opts.sopClassUid ?? MG_FOR_PRESENTATION;
  const transferSyntaxUid = opts.transferSyntaxUid ?? EXPLICIT_VR_LE;
  const pixels = new Uint16Array(rows * columns);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + (i >> 8)) & 0x3fff;
  const dataset: Record<string, unknown> = {
    SOPClassUID: sopClassUid,
    SOPInstanceUID: sopInstanceUid,
    StudyDate: '20260101',
    Modality: 'MG',
    PatientName: 'Synthetic^Phantom',
    PatientID: opts.patientId ?? 'SYNTH-0001',
    ViewPosition: opts.viewPosition ?? 'CC',
    StudyInstanceUID: studyUid,
    SeriesInstanceUID: seriesUid,
    SeriesNumber: '1',
    InstanceNumber: '1',
    ImageLaterality: opts.laterality ?? 'L',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    BitsAllocated: 16,
    BitsStored: 14,
    HighBit: 13,
    PixelRepresentation: 0,
    PresentationIntentType: 'FOR PRESENTATION',
    PixelData: pixels.buffer,
    _vrMap: { PixelData: 'OW' },
    ...(opts.imageType ? { ImageType: opts.imageType } : {}),
    ...(opts.qualityControlImage ? { QualityControlImage: opts.qualityControlImage } : {}),
  };
  for (const key of opts.omit ?? []) delete dataset[key];
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: transferSyntaxUid,
    ImplementationClassUID: '2.25.1',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${sopInstanceUid}.dcm`);
  fs.writeFileSync(file, Buffer.from(dict.write()));
  return { file, studyUid, seriesUid, sopInstanceUid, sopClassUid };
}
