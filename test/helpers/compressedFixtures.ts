import { runTool } from './dcmtkTools';

/** storescu option that proposes each transfer syntax (plus the uncompressed ones). */
export const STORESCU_PROPOSAL: Record<string, string> = {
  '1.2.840.10008.1.2.4.70': '-xs',
  '1.2.840.10008.1.2.4.57': '-xs',
  '1.2.840.10008.1.2.4.80': '-xt',
  '1.2.840.10008.1.2.4.81': '-xu',
  '1.2.840.10008.1.2.4.90': '-xv',
  '1.2.840.10008.1.2.4.91': '-xw',
  '1.2.840.10008.1.2.4.50': '-xy',
  '1.2.840.10008.1.2.4.51': '-xx',
  '1.2.840.10008.1.2.5': '-xr',
};

export interface Encoder {
  tool: string;
  options: string[];
  transferSyntax: string;
}

/** Command line encoders from dcmtk and GDCM, one per compressed syntax they can write. */
export const ENCODERS: Encoder[] = [
  { tool: 'dcmcjpeg', options: [], transferSyntax: '1.2.840.10008.1.2.4.70' },
  { tool: 'dcmcjpls', options: [], transferSyntax: '1.2.840.10008.1.2.4.80' },
  { tool: 'dcmcjpls', options: ['+en', '+md', '2'], transferSyntax: '1.2.840.10008.1.2.4.81' },
  { tool: 'dcmcrle', options: [], transferSyntax: '1.2.840.10008.1.2.5' },
  { tool: 'gdcmconv', options: ['--j2k'], transferSyntax: '1.2.840.10008.1.2.4.90' },
];

/** Writes a compressed copy of `source` next to it and returns its path. */
export async function compressedCopy(encoder: Encoder, source: string): Promise<string> {
  const file = source.replace(/\.dcm$/, `.${encoder.transferSyntax}.dcm`);
  const run = await runTool(encoder.tool, [...encoder.options, source, file]);
  if (run.code !== 0) throw new Error(`${encoder.tool} failed: ${run.output}`);
  return file;
}
