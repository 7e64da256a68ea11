import fs from 'node:fs/promises';
import { Command } from 'commander';
import { renderMarks } from '../report/render/renderMarks';

/**
 * `mammocad render --image IMG.dcm --marks SR_or_GSPS.dcm --out out.png`: the image, windowed and
 * downscaled, with the CAD marks of a produced Mammography CAD SR, TID 1500 SR or GSPS, as PNG.
 */
export function registerRenderCommand(program: Command): void {
  program
    .command('render')
    .description('draw an image with the marks of a produced SR or GSPS to PNG')
    .requiredOption('--image <file>', 'source image (DICOM)')
    .option('--marks <file>', 'Mammography CAD SR, TID 1500 SR or GSPS produced for that image')
    .requiredOption('--out <file>', 'PNG to write')
    .option('--max-width <pixels>', 'downscale to at most this width', '1024')
    .action(async (opts: { image: string; marks?: string; out: string; maxWidth: string }) => {
      const maxWidth = Number(opts.maxWidth);
      if (!(maxWidth >= 1)) throw new Error(`--max-width must be a positive number, not ${opts.maxWidth}`);
      const result = await renderMarks(opts.image, opts.marks, maxWidth);
      await fs.writeFile(opts.out, result.png);
      console.log(`${opts.out}: ${result.image.width}x${result.image.height}, ${result.marks.length} marks`);
    });
}
