/**
 * npm run synth:real-tissue -- --out DIR [--seed N] [--tissue mias|ffdm] [--holdout]
 * Writes every normal reference image of the training split (--holdout: the held-out split) with
 * synthetic clusters inserted, as DICOM + ground truth (src/synth/realTissueImageWriter.ts). The
 * held-out split and the calcification images stay out of training: they are the real-image check.
 */
import { writeRealTissueImage } from '../../src/synth/realTissueImageWriter';
import { ffdmSampleImages, miasNormalImages } from '../../src/synth/tissue/referenceImages';
import { parseArgs, requireArg } from './parseArgs';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const out = requireArg(args, 'out');
  const seed = Number(args.get('seed') ?? '1');
  const holdout = args.has('holdout');
  const tissue = args.get('tissue') ?? 'mias';
  const references = tissue === 'mias' ? miasNormalImages(holdout) : tissue === 'ffdm' ? ffdmSampleImages(holdout) : null;
  if (references === null) throw new Error(`unknown --tissue ${tissue} (mias, ffdm)`);
  if (references.length === 0) throw new Error(`no ${tissue} reference images found (see ../shared/data/README.md)`);
  for (const [i, reference] of references.entries()) {
    console.log(await writeRealTissueImage(reference, seed * 1000 + i, out));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
