import { writeFileSync } from 'node:fs';

const dcmjs = require('dcmjs');

export interface SyntheticMammogramOptions {
  rows: number;
  columns: number;
  bitsAllocated: 8 | 16;
  bitsStored: number;
  signed?: boolean;
  photometricInterpretation?: 'MONOCHROME1' | 'MONOCHROME2';
  presentationIntentType?: 'FOR PRESENTATION' | 'FOR PROCESSING';
  /** Chest wall on the left (default) or right. */
  chestWall?: 'left' | 'right';
  laterality?: 'L' | 'R';
  patientOrientation?: [string, string];
  pixelSpacingMm?: number;
  imagerPixelSpacingMm?: number;
  magnificationFactor?: number;
  rescaleSlope?: number;
  rescaleIntercept?: number;
  transferSyntaxUid?: string;
  seed?: number;
  /** Explicit stored values (row-major); otherwise a synthetic breast is drawn. */
  values?: ArrayLike<number>;
}

/** Small deterministic PRNG (mulberry32) so fixtures are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Stored values of a toy mammogram: a half-ellipse breast against the chest wall, brighter (more
 * attenuating) than the dark background, with texture noise and a few bright specks, spanning the
 * whole stored range (so codecs see every bit). Returns values in "presentation" polarity; callers
 * wanting MONOCHROME1 or raw data transform them.
 */
export function syntheticBreastValues(o: SyntheticMammogramOptions): Int32Array {
  const rnd = random(o.seed ?? 1);
  const min = o.signed ? -(2 ** (o.bitsStored - 1)) : 0;
  const max = o.signed ? 2 ** (o.bitsStored - 1) - 1 : 2 ** o.bitsStored - 1;
  const range = max - min;
  const out = new Int32Array(o.rows * o.columns);
  const cy = o.rows / 2;
  const ry = o.rows * 0.45;
  const rx = o.columns * 0.7;
  for (let y = 0; y < o.rows; y++) {
    for (let x = 0; x < o.columns; x++) {
      const xw = o.chestWall === 'right' ? o.columns - 1 - x : x;
      const d = (xw / rx) ** 2 + ((y - cy) / ry) ** 2;
      let v: number;
      if (d < 1) v = 0.35 + 0.35 * (1 - d) + 0.08 * (rnd() - 0.5) + 0.05 * Math.sin(x / 5) * Math.cos(y / 7);
      else v = 0.04 * rnd();
      out[y * o.columns + x] = Math.round(min + Math.min(1, Math.max(0, v)) * range);
    }
  }
  // Specks ("calcifications") near the maximum and one pixel at each extreme of the range.
  for (let k = 0; k < 8; k++) {
    const x = Math.floor(o.columns * (0.1 + 0.3 * rnd()));
    const y = Math.floor(o.rows * (0.3 + 0.4 * rnd()));
    out[y * o.columns + x] = max;
  }
  out[0] = min;
  out[out.length - 1] = max;
  return out;
}

function pixelBytes(values: ArrayLike<number>, bitsAllocated: 8 | 16): ArrayBuffer {
  if (bitsAllocated === 8) return Uint8Array.from(values, (v) => v & 0xff).buffer;
  const words = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) words[i] = values[i] & 0xffff;
  return words.buffer;
}

/** Writes an uncompressed Digital Mammography X-Ray Image (Explicit VR LE by default) with dcmjs. */
export function writeSyntheticMammogram(path: string, o: SyntheticMammogramOptions): Int32Array {
  const values = o.values ? Int32Array.from(o.values) : syntheticBreastValues(o);
  const forProcessing = o.presentationIntentType === 'FOR PROCESSING';
  const sopClass = forProcessing ? '1.2.840.10008.5.1.4.1.1.1.2.1' : '1.2.840.10008.5.1.4.1.1.1.2';
  const sopInstance = `2.25.${1000 + (o.seed ?? 1)}${o.rows}${o.columns}${o.bitsStored}`;
  const dataset: Record<string, unknown> = {
    SOPClassUID: sopClass,
    SOPInstanceUID: sopInstance,
    StudyInstanceUID: '2.25.11',
    SeriesInstanceUID: '2.25.12',
    Modality: 'MG',
    PatientName: 'Synthetic^Mammo',
    PatientID: 'SYN1',
    PresentationIntentType: o.presentationIntentType ?? 'FOR PRESENTATION',
    ImageLaterality: o.laterality ?? 'L',
    ViewPosition: 'CC',
    Rows: o.rows,
    Columns: o.columns,
    BitsAllocated: o.bitsAllocated,
    BitsStored: o.bitsStored,
    HighBit: o.bitsStored - 1,
    PixelRepresentation: o.signed ? 1 : 0,
    SamplesPerPixel: 1,
    PhotometricInterpretation: o.photometricInterpretation ?? 'MONOCHROME2',
    RescaleSlope: o.rescaleSlope ?? 1,
    RescaleIntercept: o.rescaleIntercept ?? 0,
    RescaleType: 'US',
    PixelData: [pixelBytes(values, o.bitsAllocated)],
    _vrMap: { PixelData: o.bitsAllocated === 8 ? 'OB' : 'OW' },
  };
  if (o.patientOrientation) dataset.PatientOrientation = o.patientOrientation;
  if (o.pixelSpacingMm) dataset.PixelSpacing = [o.pixelSpacingMm, o.pixelSpacingMm];
  if (o.imagerPixelSpacingMm) dataset.ImagerPixelSpacing = [o.imagerPixelSpacingMm, o.imagerPixelSpacingMm];
  if (o.magnificationFactor) dataset.EstimatedRadiographicMagnificationFactor = o.magnificationFactor;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: sopInstance,
    TransferSyntaxUID: o.transferSyntaxUid ?? '1.2.840.10008.1.2.1',
    ImplementationClassUID: '2.25.1234567',
    _vrMap: {},
  };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
  writeFileSync(path, Buffer.from(dict.write()));
  return values;
}
