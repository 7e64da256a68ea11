/**
 * npm run render -- --image IMG.dcm --marks SR_or_GSPS.dcm --out out.png [--max-width 1024]
 * The same as `mammocad render`: the image with the CAD marks of a produced SR or GSPS, as PNG.
 */
import { Command } from 'commander';
import { registerRenderCommand } from '../src/cli/renderCommand';

const program = new Command('mammocad');
registerRenderCommand(program);
program.parseAsync(['node', 'mammocad', 'render', ...process.argv.slice(2)]).catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
