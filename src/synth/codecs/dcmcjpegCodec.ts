import { runTool } from './runTool';
import { TransferSyntaxUid } from '../../dicom/transferSyntaxUid';

/**
 * JPEG (ITU-T T.81) through dcmtk's dcmcjpeg. The UIDs are kept (+un) even for lossy output so the
 * ground truth written beside the file still names the same SOP Instance; dcmcjpeg records the lossy
 * step in Lossy Image Compression (0028,2110) itself.
 */
export async function encodeWithDcmcjpeg(input: string, output: string, syntax: string): Promise<void> {
  const mode: Record<string, string[]> = {
    [TransferSyntaxUid.jpegLosslessSv1]: ['+e1'],
    [TransferSyntaxUid.jpegLossless]: ['+el'],
    // Extended sequential carries at most 12 bits per sample (T.81 Annex G).
    [TransferSyntaxUid.jpegExtended12Bit]: ['+ee', '+bt', '+q', '95'],
  };
  const args = mode[syntax];
  if (!args) throw new Error(`dcmcjpeg cannot write transfer syntax ${syntax}`);
  await runTool('dcmcjpeg', [...args, '+un', input, output]);
}
