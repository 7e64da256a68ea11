import type { FrameInfo } from '../../../src/imaging';

/** A one-row, four-pixel, 12-bit unsigned frame, with the fields a test changes. */
export const frameInfo = (o: Partial<FrameInfo>): FrameInfo => ({
  rows: 1,
  columns: 4,
  bitsAllocated: 16,
  bitsStored: 12,
  highBit: 11,
  signed: false,
  samplesPerPixel: 1,
  transferSyntaxUid: '1.2.840.10008.1.2.1',
  ...o,
});

/** 16-bit words as little-endian bytes. */
export function le16(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  values.forEach((v, i) => {
    out[2 * i] = v & 0xff;
    out[2 * i + 1] = (v >> 8) & 0xff;
  });
  return out;
}
