import { NativeCodecs } from 'dcmjs-codecs';
import { TransferSyntaxUid } from '../../dicom/transferSyntaxUid';
import type { PixelDecoder } from './pixelDecoder';
import { decodeWithWasm, wasmCodecsReady } from './wasmCodecs';

/** ISO 10918 JPEG: baseline 8-bit (.50), extended 12-bit (.51), lossless process 14 (.57, .70). */
export const jpegDecoder: PixelDecoder = {
  name: 'dcmjs-codecs jpeg (IJG)',
  transferSyntaxUids: [
    TransferSyntaxUid.jpegBaseline,
    TransferSyntaxUid.jpegExtended12Bit,
    TransferSyntaxUid.jpegLossless,
    TransferSyntaxUid.jpegLosslessSv1,
  ],
  ready: wasmCodecsReady,
  decode: (data, info) => decodeWithWasm((c, p) => NativeCodecs.decodeJpeg(c, p), data, info),
};
