import { runTool } from './runTool';
import { TransferSyntaxUid } from '../../dicom/transferSyntaxUid';

/** JPEG-LS (ITU-T T.87) through dcmtk's dcmcjpls; near-lossless keeps UIDs for the ground truth. */
export async function encodeWithDcmcjpls(input: string, output: string, syntax: string): Promise<void> {
  if (syntax === TransferSyntaxUid.jpegLsLossless) {
    await runTool('dcmcjpls', ['+el', input, output]);
  } else if (syntax === TransferSyntaxUid.jpegLsNearLossless) {
    await runTool('dcmcjpls', ['+en', '+un', input, output]);
  } else {
    throw new Error(`dcmcjpls cannot write transfer syntax ${syntax}`);
  }
}
