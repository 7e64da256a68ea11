/**
 * npm run synth:hard-negatives -- --out DIR --count N [--seed S] [--tissue mias,procedural]
 *   [--threshold 0.5] [--per-scene 12] [--size 96] [--config FILE]
 * A patch dataset of hard negatives mined with the committed detector (or --config's
 * inference.modelDir): each scene (the same sources and seeds as synth:patches) is run through the
 * detector, and patches are cut around its strongest specks that are not calcifications
 * (src/synth/patches/detectorFalseMarks.ts). Mix it into `npm run train:detector -- --data` to
 * fine-tune the detector against its own false marks. Write it OUTSIDE the repository.
 */
import fs from 'node:fs';
import { configSchema } from '../../src/config/schema';
import { startDetectorPool } from '../../src/detect/detectionRuntime';
import { detectorFalseMarkPatches } from '../../src/synth/patches/detectorFalseMarks';
import { PatchWriter } from '../../src/synth/patches/patchWriter';
import { sceneSourcesByName } from '../../src/synth/patches/sceneSources';
import { SeededRandom } from '../../src/synth/random';
import { generatorVersion } from './generatorVersion';
import { parseArgs, requireArg } from './parseArgs';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const count = Number(requireArg(args, 'count'));
  const size = Number(args.get('size') ?? '96');
  const seed = Number(args.get('seed') ?? '1');
  const perScene = Number(args.get('per-scene') ?? '12');
  const threshold = Number(args.get('threshold') ?? '0.5');
  const configFile = args.get('config');
  const config = configSchema.parse(configFile ? JSON.parse(fs.readFileSync(configFile, 'utf8')) : {});
  const sources = sceneSourcesByName((args.get('tissue') ?? 'mias').split(','), false);
  const pool = await startDetectorPool(config.inference, 1);
  const writer = new PatchWriter(requireArg(args, 'out'), size);
  const random = new SeededRandom(seed);
  try {
    for (let sceneIndex = 0; writer.written < count; sceneIndex++) {
      if (sceneIndex > 20 + count) throw new Error('the scenes give too few false marks; lower --threshold or raise --per-scene');
      const source = sources[sceneIndex % sources.length];
      // The synth:patches seed scheme, so a --seed here never repeats a training set's scenes by accident.
      const scene = source.make((seed * 100_003 + sceneIndex) >>> 0);
      if (!scene) continue;
      const { specks } = await pool.detect(scene.prepared, { threshold, spacingMm: scene.prepared.workingSpacingMm });
      const wanted = Math.min(perScene, count - writer.written);
      for (const item of detectorFalseMarkPatches(scene, specks, wanted, size, random.fork(sceneIndex))) writer.add(item);
      process.stderr.write(`\r${writer.written}/${count} patches, ${sceneIndex + 1} scenes`);
    }
  } finally {
    await pool.close();
  }
  process.stderr.write('\n');
  console.log(JSON.stringify(writer.close({ seed, tissueSources: sources.map((s) => s.name), generator: generatorVersion(), holdout: false })));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
