import { NativeCodecs } from 'dcmjs-codecs';
import { TransferSyntaxUid } from '../../dicom/transferSyntaxUid';
import type { PixelDecoder } from './pixelDecoder';
import { decodeWithWasm, wasmCodecsReady } from './wasmCodecs';

/** ISO 15444 JPEG 2000, lossless (.90) and lossy (.91), through OpenJPEG. */
export const jpeg2000Decoder: PixelDecoder = {
  name: 'dcmjs-codecs jpeg2000 (OpenJPEG)',
  transferSyntaxUids: [TransferSyntaxUid.jpeg2000Lossless, TransferSyntaxUid.jpeg2000],
  ready: wasmCodecsReady,
  decode: (data, info) => decodeWithWasm((c, p) => NativeCodecs.decodeJpeg2000(c, p), data, info),
};
