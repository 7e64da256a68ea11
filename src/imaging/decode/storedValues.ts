import type { DecodedImage, StoredPixels } from '../decodedImage';
import type { FrameInfo, RawFrame } from './pixelDecoder';

/** The typed array that holds `bitsStored`-bit values of the given sign without loss. */
function allocate(count: number, bitsStored: number, signed: boolean): StoredPixels {
  if (bitsStored > 16) return new Int32Array(count);
  if (signed) return new Int16Array(count);
  return bitsStored <= 8 ? new Uint8Array(count) : new Uint16Array(count);
}

/**
 * Byte-exact data: keeps only the Bits Stored bits of each sample (discarding overlay or garbage bits above High Bit),
 * and sign-extends them when Pixel Representation is 1. Codec output (maskToBitsStored false) is
 * not masked: unsigned words are taken as they are, signed ones sign-extended from Bits Stored (codecs
 * that know the sign have extended them already; extending again changes nothing). One loop per word
 * width, no per-pixel calls.
 */
export function toStoredValues(raw: RawFrame, info: FrameInfo): DecodedImage {
  const count = info.rows * info.columns;
  const needed = count * raw.bytesPerSample;
  if (raw.bytes.length < needed)
    throw new RangeError(`pixel data too short: ${raw.bytes.length} bytes for ${needed}`);
  const bits = info.bitsStored;
  const out = allocate(count, bits, info.signed);
  const mask = bits >= 32 || (!raw.maskToBitsStored && !info.signed) ? -1 : (1 << bits) - 1;
  const shift = raw.valueShift;
  // Sign extension by shifting the top stored bit into bit 31 and back (arithmetic shift).
  const up = 32 - bits;
  const b = raw.bytes;
  if (raw.bytesPerSample === 1) {
    for (let i = 0; i < count; i++) {
      const v = (b[i] >>> shift) & mask;
      out[i] = info.signed ? (v << up) >> up : v;
    }
  } else if (raw.bytesPerSample === 2) {
    // Aligned fast path through a Uint16Array view (little-endian host, as Node on x86/ARM is).
    const words = (b.byteOffset & 1) === 0 ? new Uint16Array(b.buffer, b.byteOffset, count) : null;
    if (words) {
      if (info.signed) for (let i = 0; i < count; i++) out[i] = (((words[i] >>> shift) & mask) << up) >> up;
      else if (shift === 0 && (bits === 16 || mask === -1)) out.set(words);
      else for (let i = 0; i < count; i++) out[i] = (words[i] >>> shift) & mask;
    } else {
      for (let i = 0; i < count; i++) {
        const v = ((b[2 * i] | (b[2 * i + 1] << 8)) >>> shift) & mask;
        out[i] = info.signed ? (v << up) >> up : v;
      }
    }
  } else {
    const view = new DataView(b.buffer, b.byteOffset, needed);
    for (let i = 0; i < count; i++) {
      const v = (view.getUint32(4 * i, true) >>> shift) & mask;
      out[i] = info.signed ? (v << up) >> up : v;
    }
  }
  return { rows: info.rows, columns: info.columns, pixels: out, bitsStored: bits, signed: info.signed };
}
