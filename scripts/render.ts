/**
 * npm run render -- --image IMG.dcm --marks SR_or_GSPS.dcm --out out.png [--max-width 1024]
 * Draws the image with the CAD marks of a produced Mammography CAD SR, TID 1500 SR or GSPS.
 */
import fs from 'node:fs/promises';
import { Command } from 'commander';
import { renderMarks } from '../src/report/render/renderMarks';

async function main(): Promise<void> {
  const program = new Command('render')
    .requiredOption('--image <file>', 'source image (DICOM)')
    .option('--marks <file>', 'Mammography CAD SR, TID 1500 SR or GSPS produced for that image')
    .requiredOption('--out <file>', 'PNG to write')
    .option('--max-width <pixels>', 'downscale to at most this width', '1024')
    .parse(process.argv);
  const opts = program.opts<{ image: string; marks?: string; out: string; maxWidth: string }>();
  const result = await renderMarks(opts.image, opts.marks, Number(opts.maxWidth));
  await fs.writeFile(opts.out, result.png);
  console.log(`${opts.out}: ${result.image.width}x${result.image.height}, ${result.marks.length} marks`);
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
