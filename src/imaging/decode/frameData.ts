import { isEncapsulated } from '../../dicom/transferSyntaxUid';

function asBytes(x: unknown): Uint8Array | undefined {
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  return undefined;
}

/**
 * The bytes of the first frame. dcmjs gives Pixel Data as a list of ArrayBuffers: one for native
 * data; for encapsulated data one per frame when it could split frames, else one per fragment (then a
 * single frame is all fragments joined). Only the first frame is analysed (mammograms are single frame).
 */
export function firstFrameBytes(
  pixelData: unknown,
  transferSyntaxUid: string,
  numberOfFrames: number,
): Uint8Array | undefined {
  const parts = (Array.isArray(pixelData) ? pixelData : [pixelData]).map(asBytes);
  if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
  const buffers = parts as Uint8Array[];
  if (!isEncapsulated(transferSyntaxUid) || buffers.length === 1) return buffers[0];
  if (numberOfFrames > 1 && buffers.length === numberOfFrames) return buffers[0];
  if (numberOfFrames > 1) return buffers[0]; // fragments of several frames cannot be told apart here
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    joined.set(b, offset);
    offset += b.length;
  }
  return joined;
}
