import { runTool } from './runTool';
import { TRANSFER_SYNTAX } from './transferSyntaxes';

/** JPEG-LS (ITU-T T.87) through dcmtk's dcmcjpls; near-lossless keeps UIDs for the ground truth. */
export async function encodeWithDcmcjpls(input: string, output: string, syntax: string): Promise<void> {
  if (syntax === TRANSFER_SYNTAX.jpegLsLossless) {
    await runTool('dcmcjpls', ['+el', input, output]);
  } else if (syntax === TRANSFER_SYNTAX.jpegLsNearLossless) {
    await runTool('dcmcjpls', ['+en', '+un', input, output]);
  } else {
    throw new Error(`dcmcjpls cannot write transfer syntax ${syntax}`);
  }
}
