import { Context, NativeCodecs } from 'dcmjs-codecs';
import type { FrameInfo, RawFrame } from './pixelDecoder';

/**
 * dcmjs-codecs: one WASM module holding DCMTK's IJG JPEG (8, 12 and 16 bit: baseline, extended and
 * lossless processes), CharLS (JPEG-LS) and OpenJPEG (JPEG 2000). Loaded once per process.
 */
let initialising: Promise<void> | undefined;

export function wasmCodecsReady(): Promise<void> {
  if (!initialising) {
    initialising = NativeCodecs.isInitialized()
      ? Promise.resolve()
      : NativeCodecs.initializeAsync({ logCodecsInfo: false, logCodecsTrace: false });
  }
  return initialising;
}

export type WasmDecode = (context: Context, parameters?: Record<string, unknown>) => Context;

/** Runs one dcmjs-codecs decode call on a frame and checks the size of what came back. */
export function decodeWithWasm(decode: WasmDecode, data: Uint8Array, info: FrameInfo): RawFrame {
  if (!NativeCodecs.isInitialized()) throw new Error('WASM codecs not initialised (await decoder.ready())');
  const bytesPerSample = info.bitsAllocated <= 8 ? 1 : 2;
  const context = new Context({
    width: info.columns,
    height: info.rows,
    bitsAllocated: bytesPerSample * 8,
    bitsStored: info.bitsStored,
    samplesPerPixel: info.samplesPerPixel,
    pixelRepresentation: info.signed ? 1 : 0,
    planarConfiguration: 0,
    photometricInterpretation: 'MONOCHROME2',
    encodedBuffer: data,
  });
  const decoded = decode(context, { convertColorspaceToRgb: false }).getDecodedBuffer();
  const needed = info.rows * info.columns * info.samplesPerPixel * bytesPerSample;
  // More than the header's size means the codestream's own size differs: read at the header's row
  // width, every row would be shifted (a sheared image, marks in the wrong place).
  if (!decoded || decoded.length !== needed) {
    throw new RangeError(`codec returned ${decoded?.length ?? 0} bytes, expected ${needed} for ${info.rows} x ${info.columns}: the compressed image does not match Rows/Columns`);
  }
  return {
    bytes: decoded.byteOffset % 2 === 0 ? decoded : decoded.slice(),
    bytesPerSample,
    valueShift: 0,
    maskToBitsStored: false,
  };
}
