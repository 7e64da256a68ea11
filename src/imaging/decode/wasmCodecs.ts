import { Context, NativeCodecs } from 'dcmjs-codecs';
import type { FrameInfo, RawFrame } from './pixelDecoder';

/**
 * dcmjs-codecs: one WASM module holding DCMTK's IJG JPEG (8, 12 and 16 bit: baseline, extended and
 * lossless processes), CharLS (JPEG-LS) and OpenJPEG (JPEG 2000). One instance per process, started
 * on first use and started afresh after a decode that threw (discardInstance).
 */
let initialising: Promise<void> | undefined;

export function wasmCodecsReady(): Promise<void> {
  if (!initialising) {
    const starting = NativeCodecs.isInitialized()
      ? Promise.resolve()
      : NativeCodecs.initializeAsync({ logCodecsInfo: false, logCodecsTrace: false });
    initialising = starting;
    // A start that failed is tried again by the next image, not remembered.
    starting.catch(() => {
      if (initialising === starting) initialising = undefined;
    });
  }
  return initialising;
}

/**
 * A codec that threw (a trap such as "unreachable", or its own error unwinding the WASM stack) leaves
 * the instance's memory as it was mid-call: its stack pointer and heap are not restored. Measured:
 * after 28 corrupt JPEG streams in one process every later JPEG, JPEG-LS and JPEG 2000 image failed
 * too ("memory access out of bounds"), and three corrupt streams later a decode never returned. So
 * the instance is dropped and the next decode starts a fresh one (new memory; about 75 ms).
 */
function discardInstance(): void {
  NativeCodecs.release();
  initialising = undefined;
}

export type WasmDecode = (context: Context, parameters?: Record<string, unknown>) => Context;

/** Runs one dcmjs-codecs decode call on a frame and checks the size of what came back. */
export async function decodeWithWasm(decode: WasmDecode, data: Uint8Array, info: FrameInfo): Promise<RawFrame> {
  // Another image's decode may have dropped the instance while this one waited: wait for the new one.
  // Nothing awaits between this check and the call below, so no other decode runs in between.
  while (!NativeCodecs.isInitialized()) await wasmCodecsReady();
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
  let decoded: Uint8Array | undefined;
  try {
    decoded = decode(context, { convertColorspaceToRgb: false }).getDecodedBuffer();
  } catch (e) {
    discardInstance();
    throw e;
  }
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
