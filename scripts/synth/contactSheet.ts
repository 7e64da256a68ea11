/**
 * npm run synth:sheet -- --out docs/img/contact-sheet.png [--columns 7] [--cell 150] [--seed 1]
 * A grid to judge realism by eye: row 1 real mini-MIAS calcification clusters, rows 2-4 synthetic
 * clusters in mini-MIAS normal tissue, procedural tissue and FFDM tissue; all 12.8 mm square crops
 * of the detector's input (prepared, 0.07 mm).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs, requireArg } from './parseArgs';
import { standardContactSheet } from '../../src/synth/render/contactSheet';

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const out = requireArg(args, 'out');
  const { png, rowCounts } = standardContactSheet(Number(args.get('columns') ?? '7'), Number(args.get('cell') ?? '150'), Number(args.get('seed') ?? '1'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, png);
  console.log(`${out}: ${png.length} bytes, rows of ${rowCounts.join(', ')} tiles`);
}

main();
