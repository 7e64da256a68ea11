import { runTool } from './runTool';
import { TransferSyntaxUid } from '../../dicom/transferSyntaxUid';

/** JPEG 2000 (ISO/IEC 15444-1) through gdcmconv; lossy at a 10:1 rate, as screening archives use. */
export async function encodeWithGdcmJpeg2000(input: string, output: string, syntax: string): Promise<void> {
  if (syntax === TransferSyntaxUid.jpeg2000Lossless) {
    await runTool('gdcmconv', ['--j2k', input, output]);
  } else if (syntax === TransferSyntaxUid.jpeg2000) {
    await runTool('gdcmconv', ['--j2k', '--lossy', '--irreversible', '-r', '10', input, output]);
  } else {
    throw new Error(`gdcmconv cannot write transfer syntax ${syntax}`);
  }
}
