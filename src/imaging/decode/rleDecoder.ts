import { TransferSyntaxUid } from '../../dicom/transferSyntaxUid';
import type { FrameInfo, PixelDecoder, RawFrame } from './pixelDecoder';

/**
 * RLE Lossless (PS3.5 Annex G), written here because it is short and a WASM round trip buys nothing.
 * A frame is a 64-byte header (segment count + 15 offsets, uint32 LE) followed by one PackBits
 * segment per byte plane, most significant byte plane first. Output is interleaved little endian.
 */
export const rleDecoder = {
  name: 'rle (own)',
  transferSyntaxUids: [TransferSyntaxUid.rleLossless],
  ready: () => Promise.resolve(),
  decode(data: Uint8Array, info: FrameInfo): RawFrame {
    const bytesPerSample = info.bitsAllocated / 8;
    if (bytesPerSample !== 1 && bytesPerSample !== 2 && bytesPerSample !== 4) {
      throw new RangeError(`unsupported Bits Allocated ${info.bitsAllocated} for RLE`);
    }
    if (data.length < 64) throw new RangeError('RLE header truncated');
    const header = new DataView(data.buffer, data.byteOffset, 64);
    const segments = header.getUint32(0, true);
    if (segments !== bytesPerSample * info.samplesPerPixel) {
      throw new RangeError(`RLE has ${segments} segments, expected ${bytesPerSample * info.samplesPerPixel}`);
    }
    const count = info.rows * info.columns;
    const out = new Uint8Array(count * bytesPerSample);
    for (let s = 0; s < segments; s++) {
      const start = header.getUint32(4 + 4 * s, true);
      const end = s + 1 < segments ? header.getUint32(8 + 4 * s, true) : data.length;
      if (start < 64 || end > data.length || end < start)
        throw new RangeError(`RLE segment ${s + 1} offset out of range`);
      // Segment 0 holds the most significant bytes: in little-endian output that is the last byte.
      const { written, consumed } = unpackBits(
        data,
        start,
        end,
        out,
        bytesPerSample - 1 - s,
        bytesPerSample,
        count,
      );
      if (written < count)
        throw new RangeError(`RLE segment ${s + 1} truncated: ${written} of ${count} bytes`);
      // A segment is padded to an even length at most; much more left over means the compressed image
      // is larger than Rows x Columns, and reading it at the header's width would shear it.
      if (end - consumed > RLE_SEGMENT_SLACK)
        throw new RangeError(
          `RLE segment ${s + 1} holds more than ${count} bytes: the compressed image does not match Rows/Columns`,
        );
    }
    return { bytes: out, bytesPerSample, valueShift: 0, maskToBitsStored: true };
  },
} satisfies PixelDecoder;

/** PackBits: a control byte n ≥ 0 copies n+1 literal bytes, -127..-1 repeats the next byte 1-n times. */
function unpackBits(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  first: number,
  stride: number,
  count: number,
): { written: number; consumed: number } {
  let i = start;
  let o = 0;
  while (i < end && o < count) {
    const n = (src[i++] << 24) >> 24;
    if (n >= 0) {
      const stop = Math.min(i + n + 1, end);
      for (; i < stop && o < count; i++, o++) out[first + o * stride] = src[i];
    } else if (n !== -128) {
      if (i >= end) break;
      const value = src[i++];
      const stop = Math.min(o + 1 - n, count);
      for (; o < stop; o++) out[first + o * stride] = value;
    }
  }
  return { written: o, consumed: i };
}

/** Bytes a segment may hold past its last value: even-length padding, and an encoder's no-op runs. */
const RLE_SEGMENT_SLACK = 8;
