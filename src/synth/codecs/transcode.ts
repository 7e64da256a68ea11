import { copyFile } from 'node:fs/promises';
import { encodeWithDcmcjpeg } from './dcmcjpegCodec';
import { encodeWithDcmcjpls } from './dcmcjplsCodec';
import { encodeWithDcmcrle } from './dcmcrleCodec';
import { encodeWithGdcmJpeg2000 } from './gdcmJpeg2000Codec';
import { TRANSFER_SYNTAX } from './transferSyntaxes';

type Encoder = (input: string, output: string, syntax: string) => Promise<void>;

const ENCODER_BY_SYNTAX: Record<string, Encoder> = {
  [TRANSFER_SYNTAX.jpegExtended12Bit]: encodeWithDcmcjpeg,
  [TRANSFER_SYNTAX.jpegLossless]: encodeWithDcmcjpeg,
  [TRANSFER_SYNTAX.jpegLosslessSv1]: encodeWithDcmcjpeg,
  [TRANSFER_SYNTAX.jpegLsLossless]: encodeWithDcmcjpls,
  [TRANSFER_SYNTAX.jpegLsNearLossless]: encodeWithDcmcjpls,
  [TRANSFER_SYNTAX.jpeg2000Lossless]: encodeWithGdcmJpeg2000,
  [TRANSFER_SYNTAX.jpeg2000]: encodeWithGdcmJpeg2000,
  [TRANSFER_SYNTAX.rleLossless]: encodeWithDcmcrle,
};

/** Re-encodes an Explicit VR Little Endian file into `syntax` with the tool that writes it. */
export async function transcodeDicomFile(input: string, output: string, syntax: string): Promise<void> {
  if (syntax === TRANSFER_SYNTAX.explicitLittleEndian) {
    if (input !== output) await copyFile(input, output);
    return;
  }
  const encoder = ENCODER_BY_SYNTAX[syntax];
  if (!encoder) throw new Error(`no encoder for transfer syntax ${syntax}`);
  await encoder(input, output, syntax);
}
