import { NativeCodecs } from 'dcmjs-codecs';
import { TransferSyntaxUid } from '../../dicom/transferSyntaxUid';
import type { PixelDecoder } from './pixelDecoder';
import { decodeWithWasm, wasmCodecsReady } from './wasmCodecs';

/** ISO 14495 JPEG-LS, lossless (.80) and near-lossless (.81), through CharLS. */
export const jpegLsDecoder: PixelDecoder = {
  name: 'dcmjs-codecs jpeg-ls (CharLS)',
  transferSyntaxUids: [TransferSyntaxUid.jpegLsLossless, TransferSyntaxUid.jpegLsNearLossless],
  ready: wasmCodecsReady,
  decode: (data, info) => decodeWithWasm((c, p) => NativeCodecs.decodeJpegLs(c, p), data, info),
};
