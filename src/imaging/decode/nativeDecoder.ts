import { TransferSyntaxUid } from '../../dicom/transferSyntaxUid';
import type { FrameInfo, PixelDecoder, RawFrame } from './pixelDecoder';

/**
 * Uncompressed (native) pixel data: the bytes are the samples already. Little endian passes through
 * untouched (no copy); big endian words are swapped. 1-bit data is not used by mammography.
 */
export const nativeDecoder = {
  name: 'native',
  transferSyntaxUids: [
    TransferSyntaxUid.implicitVrLittleEndian,
    TransferSyntaxUid.explicitVrLittleEndian,
    TransferSyntaxUid.deflatedExplicitVrLittleEndian,
    TransferSyntaxUid.explicitVrBigEndian,
  ],
  ready: () => Promise.resolve(),
  decode(data: Uint8Array, info: FrameInfo): RawFrame {
    const bytesPerSample = info.bitsAllocated / 8;
    if (bytesPerSample !== 1 && bytesPerSample !== 2 && bytesPerSample !== 4) {
      throw new RangeError(`unsupported Bits Allocated ${info.bitsAllocated}`);
    }
    const needed = info.rows * info.columns * bytesPerSample;
    if (data.length < needed) throw new RangeError(`truncated pixel data: ${data.length} of ${needed} bytes`);
    let bytes = data.subarray(0, needed);
    if (info.transferSyntaxUid === TransferSyntaxUid.explicitVrBigEndian && bytesPerSample !== 1) {
      bytes = swapBytes(bytes, bytesPerSample);
    } else if (bytesPerSample > 1 && bytes.byteOffset % bytesPerSample !== 0) {
      bytes = bytes.slice(); // aligned copy so typed views can be used downstream
    }
    return { bytes, bytesPerSample, valueShift: info.highBit + 1 - info.bitsStored, maskToBitsStored: true };
  },
} satisfies PixelDecoder;

function swapBytes(src: Uint8Array, width: 2 | 4): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += width) {
    for (let k = 0; k < width; k++) out[i + k] = src[i + width - 1 - k];
  }
  return out;
}
