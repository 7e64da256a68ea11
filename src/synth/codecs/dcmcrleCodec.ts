import { runTool } from './runTool';
import { TransferSyntaxUid } from '../../dicom/transferSyntaxUid';

/** RLE Lossless (PS3.5 Annex G) through dcmtk's dcmcrle. */
export async function encodeWithDcmcrle(input: string, output: string, syntax: string): Promise<void> {
  if (syntax !== TransferSyntaxUid.rleLossless) throw new Error(`dcmcrle cannot write transfer syntax ${syntax}`);
  await runTool('dcmcrle', [input, output]);
}
