import { copyFile } from 'node:fs/promises';
import { encodeWithDcmcjpeg } from './dcmcjpegCodec';
import { encodeWithDcmcjpls } from './dcmcjplsCodec';
import { encodeWithDcmcrle } from './dcmcrleCodec';
import { encodeWithGdcmJpeg2000 } from './gdcmJpeg2000Codec';
import { encodeWithOpenJph } from './openjphCodec';
import { TransferSyntaxUid } from '../../dicom/transferSyntaxUid';

type Encoder = (input: string, output: string, syntax: string) => Promise<void>;

const ENCODER_BY_SYNTAX: Record<string, Encoder> = {
  [TransferSyntaxUid.jpegExtended12Bit]: encodeWithDcmcjpeg,
  [TransferSyntaxUid.jpegLossless]: encodeWithDcmcjpeg,
  [TransferSyntaxUid.jpegLosslessSv1]: encodeWithDcmcjpeg,
  [TransferSyntaxUid.jpegLsLossless]: encodeWithDcmcjpls,
  [TransferSyntaxUid.jpegLsNearLossless]: encodeWithDcmcjpls,
  [TransferSyntaxUid.jpeg2000Lossless]: encodeWithGdcmJpeg2000,
  [TransferSyntaxUid.jpeg2000]: encodeWithGdcmJpeg2000,
  [TransferSyntaxUid.htj2kLossless]: encodeWithOpenJph,
  [TransferSyntaxUid.htj2kLosslessRpcl]: encodeWithOpenJph,
  [TransferSyntaxUid.htj2k]: encodeWithOpenJph,
  [TransferSyntaxUid.rleLossless]: encodeWithDcmcrle,
};

/** Re-encodes an Explicit VR Little Endian file into `syntax` with the tool that writes it. */
export async function transcodeDicomFile(input: string, output: string, syntax: string): Promise<void> {
  if (syntax === TransferSyntaxUid.explicitVrLittleEndian) {
    if (input !== output) await copyFile(input, output);
    return;
  }
  const encoder = ENCODER_BY_SYNTAX[syntax];
  if (!encoder) throw new Error(`no encoder for transfer syntax ${syntax}`);
  await encoder(input, output, syntax);
}
