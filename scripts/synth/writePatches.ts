/**
 * npm run synth:patches -- --out DIR --count N [--size 96] [--seed S] [--tissue procedural,busy,mias,ffdm] [--holdout]
 * npm run synth:patches -- --out DIR --clusters K [--seed S]
 * npm run synth:patches -- --out DIR --count N --cluster-centred [--size 128] [--seed S] [--tissue ...]
 * Writes a training patch dataset in the detector's input domain (see src/synth/patches/), or with
 * --clusters a JSONL of K synthetic clusters for the classifier (<DIR>/clusters.jsonl), or with
 * --cluster-centred patches centred on clusters for the cluster-region CNN. Write it
 * OUTSIDE the repository, e.g. /tmp/mammocad-patches.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeClusterDataset } from '../../src/synth/clusters/clusterDataset';
import { writeClusterPatchDataset } from '../../src/synth/patches/clusterPatches';
import { generatorVersion } from './generatorVersion';
import { parseArgs, requireArg } from './parseArgs';
import { writePatchDataset } from '../../src/synth/patches/patchDataset';
import { sceneSourcesByName } from '../../src/synth/patches/sceneSources';

/** A count flag's value: a positive whole number. Number('abc') is NaN, which the writers' loops
 * never reach, and 0 writes an empty set that training only rejects later. */
function positiveInt(args: Map<string, string>, name: string): number {
  const text = requireArg(args, name);
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number, not "${text}"`);
  return value;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('clusters')) {
    const out = requireArg(args, 'out');
    mkdirSync(out, { recursive: true });
    const path = join(out, 'clusters.jsonl');
    writeClusterDataset(path, positiveInt(args, 'clusters'), Number(args.get('seed') ?? '1') + (args.has('holdout') ? 1_000_000_007 : 0));
    console.log(path);
    return;
  }
  const count = positiveInt(args, 'count');
  const started = Date.now();
  const common = {
    outDir: requireArg(args, 'out'),
    count,
    seed: Number(args.get('seed') ?? '1'),
    sources: sceneSourcesByName((args.get('tissue') ?? 'procedural').split(','), args.has('holdout')),
    generator: generatorVersion(),
    onProgress: (written: number) => process.stderr.write(`\r${written}/${count} patches, ${((Date.now() - started) / 1000).toFixed(0)} s`),
  };
  const meta = args.has('cluster-centred')
    ? writeClusterPatchDataset({ ...common, size: Number(args.get('size') ?? '128') })
    : writePatchDataset({ ...common, size: Number(args.get('size') ?? '96'), holdout: args.has('holdout') });
  process.stderr.write('\n');
  console.log(JSON.stringify(meta));
}

try {
  main();
} catch (error) {
  // One line, not a stack trace: these are mistakes in the arguments.
  console.error(`synth:patches: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
