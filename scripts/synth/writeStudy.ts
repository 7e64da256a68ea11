/**
 * npm run synth:study -- --out DIR [--size ROWSxCOLUMNS] [--seed N] [--photometric MONOCHROME1]
 *   [--syntax <transfer syntax uid>] [--processing] [--spacing MM] [--bits 12] [--tissue gradient|procedural]
 * Writes a four-view synthetic screening study with a ground-truth JSON beside each image.
 */
import { parseArgs, requireArg } from './parseArgs';
import { writeSyntheticStudy } from '../../src/synth/studyWriter';
import type { PresentationIntent, Photometric } from '../../src/synth/dicom/mammoDataset';
import { synthesizerByName } from '../../src/synth/synthesizerByName';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const [rows, columns] = (args.get('size') ?? '4096x3328').split('x').map(Number);
  const photometric = (args.get('photometric') ?? 'MONOCHROME2') as Photometric;
  if (photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2') throw new Error(`bad --photometric ${photometric}`);
  const intents: PresentationIntent[] = args.has('processing') ? ['FOR PRESENTATION', 'FOR PROCESSING'] : ['FOR PRESENTATION'];
  const written = await writeSyntheticStudy({
    outDir: requireArg(args, 'out'),
    rows,
    columns,
    seed: Number(args.get('seed') ?? '1'),
    photometric,
    transferSyntaxUid: args.get('syntax'),
    intents,
    spacingMm: args.has('spacing') ? Number(args.get('spacing')) : undefined,
    bitsStored: args.has('bits') ? Number(args.get('bits')) : undefined,
    synthesizer: synthesizerByName(args.get('tissue') ?? 'procedural'),
  });
  for (const image of written) console.log(`${image.path}  ${image.view.laterality} ${image.view.view} ${image.intent} ${image.transferSyntaxUid}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
