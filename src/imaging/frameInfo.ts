import type { ImageHeader } from './imageHeader';
import { notAnalysable, type NotAnalysable } from './notAnalysable';
import type { FrameInfo } from './decode/pixelDecoder';

/**
 * The largest image analysed. A 24 x 30 cm field at 50 µm (the finest full-field detectors, and films
 * digitised at 50 µm) is 4800 x 6000 pixels; these limits leave twice that in each direction.
 */
const MAX_SIDE = 12000;
const MAX_PIXELS = 80_000_000;

/**
 * Checks that the header describes one greyscale image we can decode and returns the decoder's view
 * of it; anything else is a typed "not analysable" reason (missing dimensions, inconsistent bit
 * depths, colour). This is where inconsistent headers are caught, before any byte is decoded.
 */
export function frameInfoFromHeader(header: ImageHeader): FrameInfo | NotAnalysable {
  const { rows, columns, bitsAllocated, bitsStored, transferSyntaxUid } = header;
  if (!rows || !columns || rows < 1 || columns < 1)
    return notAnalysable('missing image dimensions (Rows/Columns)');
  // Checked before any byte is decoded: a few kilobytes of compressed data can claim gigabytes.
  if (rows > MAX_SIDE || columns > MAX_SIDE || rows * columns > MAX_PIXELS)
    return notAnalysable(`image too large (${rows}x${columns}): more than any mammography detector or film scan`);
  if (!transferSyntaxUid) return notAnalysable('missing transfer syntax');
  if (bitsAllocated === undefined || ![8, 16, 32].includes(bitsAllocated)) {
    return notAnalysable(`unsupported Bits Allocated ${bitsAllocated ?? '(missing)'}`);
  }
  const stored = bitsStored ?? bitsAllocated;
  if (stored < 1 || stored > bitsAllocated) {
    return notAnalysable(`inconsistent bit depths: Bits Stored ${stored} > Bits Allocated ${bitsAllocated}`);
  }
  const highBit = header.highBit ?? stored - 1;
  if (highBit < stored - 1 || highBit >= bitsAllocated) {
    return notAnalysable(
      `inconsistent bit depths: High Bit ${highBit} with Bits Stored ${stored}, Bits Allocated ${bitsAllocated}`,
    );
  }
  const samplesPerPixel = header.samplesPerPixel ?? 1;
  if (samplesPerPixel !== 1)
    return notAnalysable(`not a greyscale image (Samples per Pixel ${samplesPerPixel})`);
  const pi = header.photometricInterpretation ?? 'MONOCHROME2';
  if (pi !== 'MONOCHROME1' && pi !== 'MONOCHROME2')
    return notAnalysable(`unsupported Photometric Interpretation ${pi}`);
  const pr = header.pixelRepresentation ?? 0;
  if (pr !== 0 && pr !== 1) return notAnalysable(`invalid Pixel Representation ${pr}`);
  return {
    rows,
    columns,
    bitsAllocated,
    bitsStored: stored,
    highBit,
    signed: pr === 1,
    samplesPerPixel,
    transferSyntaxUid,
  };
}
