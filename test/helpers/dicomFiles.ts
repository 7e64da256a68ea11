import * as path from 'path';
import { Dataset } from 'dcmjs-dimse';

let counter = 0;

/** A UID under the 2.25 root, unique per call in this process. */
export function testUid(): string {
  counter += 1;
  const n = BigInt(Date.now()) * 1000000n + BigInt(process.pid % 1000) * 1000n + BigInt(counter % 1000);
  return `2.25.${n}`;
}

export interface TestInstance {
  file: string;
  sopClassUid: string;
  sopInstanceUid: string;
  studyUid: string;
  seriesUid: string;
}

/**
 * A small valid Part 10 file of any SOP class (header only, Explicit VR Little Endian): enough for a
 * PACS or storescp to store and index, used where the content of the object does not matter.
 */
export function writeTestInstance(
  dir: string,
  sopClassUid: string,
  opts: {
    studyUid?: string;
    seriesUid?: string;
    sopInstanceUid?: string;
    modality?: string;
    description?: string;
    patientId?: string;
    /** Adds a small 8-bit monochrome image (16×16 gradient). */
    withPixels?: boolean;
  } = {},
): TestInstance {
  const instance = {
    sopClassUid,
    sopInstanceUid: opts.sopInstanceUid ?? testUid(),
    studyUid: opts.studyUid ?? testUid(),
    seriesUid: opts.seriesUid ?? testUid(),
    file: '',
  };
  const dataset = new Dataset(
    {
      SOPClassUID: sopClassUid,
      SOPInstanceUID: instance.sopInstanceUid,
      StudyInstanceUID: instance.studyUid,
      SeriesInstanceUID: instance.seriesUid,
      PatientID: opts.patientId ?? 'TEST-0001',
      PatientName: 'Test^Export',
      StudyDate: '20260101',
      StudyTime: '120000',
      Modality: opts.modality ?? 'SR',
      SeriesNumber: '900',
      InstanceNumber: '1',
      SeriesDescription: opts.description ?? 'mammocad test object',
      Manufacturer: 'mammocad tests',
      ...(opts.withPixels ? smallImage() : {}),
    },
    '1.2.840.10008.1.2.1',
  );
  instance.file = path.join(dir, `${instance.sopInstanceUid}.dcm`);
  dataset.toFile(instance.file);
  return instance;
}

function smallImage(): Record<string, unknown> {
  const pixels = new Uint8Array(16 * 16).map((_, i) => (i * 7) % 256);
  return {
    Rows: 16,
    Columns: 16,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: 'OB' },
  };
}
