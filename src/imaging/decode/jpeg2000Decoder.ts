import { NativeCodecs } from 'dcmjs-codecs';
import { TransferSyntaxUid } from '../../dicom/transferSyntaxUid';
import type { PixelDecoder } from './pixelDecoder';
import { decodeWithWasm, wasmCodecsReady } from './wasmCodecs';

/**
 * The JPEG 2000 syntaxes OpenJPEG decodes: ISO 15444-1, lossless (.90) and lossy (.91), and
 * High-Throughput JPEG 2000 (ISO 15444-15: .201, .202 RPCL, .203), which OpenJPEG decodes since 2.5.0.
 */
export const JPEG_2000_SYNTAXES = [
  TransferSyntaxUid.jpeg2000Lossless,
  TransferSyntaxUid.jpeg2000,
  TransferSyntaxUid.htj2kLossless,
  TransferSyntaxUid.htj2kLosslessRpcl,
  TransferSyntaxUid.htj2k,
];

/** JPEG 2000 and HTJ2K through the OpenJPEG of the bundled WASM codecs. */
export const jpeg2000Decoder: PixelDecoder = {
  name: 'dcmjs-codecs jpeg2000 (OpenJPEG)',
  transferSyntaxUids: JPEG_2000_SYNTAXES,
  ready: wasmCodecsReady,
  decode: (data, info) => decodeWithWasm((c, p) => NativeCodecs.decodeJpeg2000(c, p), data, info),
};
