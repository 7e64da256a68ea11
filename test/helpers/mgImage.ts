import fs from 'node:fs';
import { datasetToPart10 } from '../../src/dicom/datasetFile';
import type { NaturalDataset } from '../../src/report/naturalDataset';
import { deterministicUid } from '../../src/report/uids';

/** Small synthetic Digital Mammography X-Ray images, written with dcmjs, as report test sources. */
export interface MgImageSpec {
  studyUid: string;
  /** Distinguishes images of one study (used to derive series/instance UIDs). */
  name: string;
  laterality: 'L' | 'R';
  view: 'CC' | 'MLO';
  rows?: number;
  columns?: number;
  photometric?: 'MONOCHROME1' | 'MONOCHROME2';
  forProcessing?: boolean;
  /** Bright (dense) discs drawn into the pixels: centre (x = column, y = row) and radius in pixels. */
  discs?: { x: number; y: number; r: number }[];
  /** A breast implant: in the field of view, or displaced (an Eklund view, with its view modifier). */
  implant?: 'inView' | 'displaced';
}

const implantDisplaced = { CodeValue: '399209000', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Implant Displaced' };

const viewCodes = {
  CC: { CodeValue: '399162004', CodingSchemeDesignator: 'SCT', CodeMeaning: 'cranio-caudal' },
  MLO: { CodeValue: '399368009', CodingSchemeDesignator: 'SCT', CodeMeaning: 'medio-lateral oblique' },
};

export const forPresentationSopClass = '1.2.840.10008.5.1.4.1.1.1.2';
export const forProcessingSopClass = '1.2.840.10008.5.1.4.1.1.1.2.1';

/** Tissue 1000, dense discs 3000, on a 12-bit scale; inverted for MONOCHROME1. */
function pixels(spec: MgImageSpec, rows: number, columns: number): Uint16Array {
  const data = new Uint16Array(rows * columns);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      let v = 800 + Math.round((400 * x) / columns);
      for (const d of spec.discs ?? []) {
        if ((x + 0.5 - d.x) ** 2 + (y + 0.5 - d.y) ** 2 <= d.r * d.r) v = 3000;
      }
      data[y * columns + x] = spec.photometric === 'MONOCHROME1' ? 4095 - v : v;
    }
  }
  return data;
}

export function makeMgImage(spec: MgImageSpec): NaturalDataset {
  const rows = spec.rows ?? 160;
  const columns = spec.columns ?? 128;
  const sopClass = spec.forProcessing ? forProcessingSopClass : forPresentationSopClass;
  const orientation =
    spec.laterality === 'L' ? ['A', spec.view === 'CC' ? 'R' : 'FR'] : ['P', spec.view === 'CC' ? 'L' : 'FL'];
  const data = pixels(spec, rows, columns);
  return {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: sopClass,
    SOPInstanceUID: deterministicUid(spec.studyUid, spec.name, 'instance'),
    StudyInstanceUID: spec.studyUid,
    SeriesInstanceUID: deterministicUid(spec.studyUid, spec.name, 'series'),
    Modality: 'MG',
    SeriesNumber: 1,
    InstanceNumber: 1,
    PatientName: [{ Alphabetic: 'Müller^Anna' }],
    PatientID: 'MC-0001',
    PatientBirthDate: '19650412',
    PatientSex: 'F',
    StudyDate: '20260110',
    StudyTime: '093000',
    ContentDate: '20260110',
    ContentTime: '093512',
    AccessionNumber: 'ACC-42',
    StudyID: '42',
    ReferringPhysicianName: [{ Alphabetic: 'Referrer^Rita' }],
    StudyDescription: 'Screening mammography',
    Manufacturer: 'Synthetic',
    PresentationIntentType: spec.forProcessing ? 'FOR PROCESSING' : 'FOR PRESENTATION',
    ImageType: ['ORIGINAL', 'PRIMARY'],
    ImageLaterality: spec.laterality,
    Laterality: spec.laterality,
    ViewCodeSequence: [
      spec.implant === 'displaced' ? { ...viewCodes[spec.view], ViewModifierCodeSequence: [implantDisplaced] } : viewCodes[spec.view],
    ],
    ...(spec.implant && { BreastImplantPresent: 'YES' }),
    PatientOrientation: orientation,
    ImagerPixelSpacing: [0.1, 0.1],
    PixelSpacing: [0.1, 0.1],
    SamplesPerPixel: 1,
    PhotometricInterpretation: spec.photometric ?? 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    RescaleIntercept: 0,
    RescaleSlope: 1,
    RescaleType: 'US',
    WindowCenter: [2000],
    WindowWidth: [4000],
    VOILUTFunction: 'LINEAR',
    PixelData: [data.buffer],
    _vrMap: { PixelData: 'OW' },
  };
}

export function writeMgImage(path: string, ds: NaturalDataset): void {
  fs.writeFileSync(path, datasetToPart10(ds));
}
