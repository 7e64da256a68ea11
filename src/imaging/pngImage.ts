import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { DecodedImage } from './decodedImage';
import type { ImageHeader } from './imageHeader';

export interface PngImageOptions {
  /** Pixel size in mm (mini-MIAS: 0.2; the FFDM sample: about 0.1). */
  spacingMm: number;
  laterality?: 'L' | 'R';
  viewCode?: string;
}

export interface PngImage {
  decoded: DecodedImage;
  header: ImageHeader;
}

/**
 * Loads a greyscale PNG (8 or 16 bit) as if it were a For Presentation MONOCHROME2 mammogram, so the
 * reference images (mini-MIAS, the FFDM sample) and synthetic images go through prepareDecoded like
 * DICOM. Colour PNGs use their first (red) channel. No Patient Orientation: the chest-wall side is
 * read from the image.
 */
export function loadPngImage(path: string, opts: PngImageOptions): PngImage {
  const png = PNG.sync.read(readFileSync(path), { skipRescale: true });
  const { width, height } = png;
  const sixteen = png.depth === 16;
  const data = png.data as unknown as ArrayLike<number>;
  const channels = data.length / (width * height);
  const pixels = sixteen ? new Uint16Array(width * height) : new Uint8Array(width * height);
  for (let i = 0, j = 0; i < pixels.length; i++, j += channels) pixels[i] = data[j];
  const bits = sixteen ? 16 : 8;
  return {
    decoded: { rows: height, columns: width, pixels, bitsStored: bits, signed: false },
    header: {
      rows: height,
      columns: width,
      bitsAllocated: bits,
      bitsStored: bits,
      highBit: bits - 1,
      pixelRepresentation: 0,
      samplesPerPixel: 1,
      photometricInterpretation: 'MONOCHROME2',
      numberOfFrames: 1,
      presentationIntentType: 'FOR PRESENTATION',
      pixelSpacing: [opts.spacingMm, opts.spacingMm],
      laterality: opts.laterality,
      viewCode: opts.viewCode,
    },
  };
}
