import type { FrameInfo, RawFrame } from './pixelDecoder';

/** What opj_decompress prints when it writes raw output, e.g. "Component 0 characteristics: 3064x4664x12 unsigned". */
const CHARACTERISTICS = /Component 0 characteristics: (\d+)x(\d+)x(\d+) (signed|unsigned)/;

/**
 * opj_decompress's little-endian raw output (.rawl) of one component, as the words every decoder
 * returns. Raw rather than PGX: OpenJPEG writes PGX a byte at a time, a quarter of a second more
 * on a 4096 x 3328 image. Raw output is bare samples, so the size, precision and sign come from the
 * line the program prints; signed samples are written masked to their precision and are
 * sign-extended here. Without that line (another OpenJPEG version) the length is checked against
 * the header, as for the WASM decoder.
 */
export function opjRawOutputToRawFrame(rawl: Uint8Array, printed: string, info: FrameInfo): RawFrame {
  const count = info.rows * info.columns;
  const m = CHARACTERISTICS.exec(printed);
  if (m && (Number(m[1]) !== info.columns || Number(m[2]) !== info.rows)) {
    throw new RangeError(`codestream is ${m[1]} x ${m[2]}, header says ${info.columns} x ${info.rows}: the compressed image does not match Rows/Columns`);
  }
  const precision = m ? Number(m[3]) : info.bitsStored;
  const signed = m ? m[4] === 'signed' : info.signed;
  const inBytes = m ? (precision <= 8 ? 1 : precision <= 16 ? 2 : 4) : rawl.length === count ? 1 : 2;
  const outBytes = info.bitsAllocated <= 8 ? 1 : 2;
  if (rawl.length !== count * inBytes || inBytes > outBytes) {
    throw new RangeError(
      `decoder wrote ${rawl.length} bytes (precision ${precision} bits), expected ${count * outBytes} for ${info.rows} x ${info.columns} at Bits Allocated ${info.bitsAllocated}: the compressed image does not match the header`,
    );
  }
  if (inBytes === outBytes && !signed) {
    return { bytes: rawl.byteOffset % 2 === 0 ? rawl : rawl.slice(), bytesPerSample: outBytes, valueShift: 0, maskToBitsStored: false };
  }
  const up = 32 - precision;
  const read = inBytes === 1 ? (i: number) => rawl[i] : (i: number) => rawl[2 * i] | (rawl[2 * i + 1] << 8);
  const out = outBytes === 1 ? new Uint8Array(count) : new Uint16Array(count);
  for (let i = 0; i < count; i++) out[i] = signed ? (read(i) << up) >> up : read(i);
  return { bytes: new Uint8Array(out.buffer), bytesPerSample: outBytes, valueShift: 0, maskToBitsStored: false };
}
