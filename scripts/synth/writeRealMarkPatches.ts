/**
 * npm run synth:real-marks -- --out DIR [--floor 0.1] [--copies 4] [--seed 1] [--images mdbNNN,...] [--config FILE]
 * A cluster-centred patch set (the synth:patches --cluster-centred format) cut around the clusters the
 * node itself reports on the mini-MIAS training normals, every one labelled benign: MIAS files these
 * images as normal, so what the detector groups there is tissue, film artefacts or benign
 * calcifications (calcified arteries, rim, round and secretory forms) and never a cancer. The
 * generator's synthetic vessels did not teach the cluster-region CNN what a calcified film artery
 * looks like (models/HISTORY.md, "continuous vessel walls"); these are real ones.
 *
 * Only the training normals (referenceImages.ts, four of every five) are read, so the held-out fifth
 * stays a check; `--images` picks some of them, and naming a held-out image is an error. Each
 * cluster gives `--copies` windows of the classifier's region size: the one production cuts, and the
 * rest moved by up to 1 mm as the synthetic cluster patches are. The production path and parameters
 * are used, with the reporting floor lowered to `--floor` so that more of what the detector groups
 * is seen. Write it OUTSIDE the repository.
 *
 * Tried as the region CNN's benign examples and not adopted: with every real calcification benign,
 * the CNN learned "real film → benign" (models/HISTORY.md, "real marks on the training normals").
 */
import fs from 'node:fs';
import path from 'node:path';
import { cutRegion } from '../../src/classify/clusterRegion';
import { configSchema } from '../../src/config/schema';
import { analysePreparedImageInDetail } from '../../src/detect/analyseImage';
import { detectionParametersFor } from '../../src/detect/detectionParameters';
import { closeDetectionRuntimes, getDetectionRuntime } from '../../src/detect/detectionRuntime';
import { PatchWriter } from '../../src/synth/patches/patchWriter';
import { SeededRandom } from '../../src/synth/random';
import { miasNormalImages, REFERENCE_DATA_DIR } from '../../src/synth/tissue/referenceImages';
import { miniMiasCases } from '../eval/evaluationCases';
import { generatorVersion } from './generatorVersion';
import { parseArgs, requireArg } from './parseArgs';

/** How far a copy's centre may move: detected centres are not exact (clusterPatches.ts). */
const JITTER_MM = 1;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const out = requireArg(args, 'out');
  const floor = Number(args.get('floor') ?? '0.1');
  const copies = Number(args.get('copies') ?? '4');
  const seed = Number(args.get('seed') ?? '1');
  if (!(Number.isInteger(copies) && copies >= 1)) throw new Error('--copies must be a whole number >= 1');
  if (!(floor >= 0 && floor <= 1)) throw new Error('--floor must be a probability in [0, 1]');
  const configFile = args.get('config');
  const config = configSchema.parse(configFile ? JSON.parse(fs.readFileSync(configFile, 'utf8')) : {});
  const params = { ...detectionParametersFor(config), clusterFloor: floor, clusterFloorCoarse: floor };
  const training = new Set(miasNormalImages(false).map((image) => image.name));
  const wanted = args.get('images')?.split(',') ?? [...training];
  const outside = wanted.filter((name) => !training.has(name));
  if (outside.length)
    throw new Error(`not mini-MIAS training normals (only those may be trained on): ${outside.join(', ')}`);
  const cases = miniMiasCases(path.join(REFERENCE_DATA_DIR, 'mini-mias-dev')).filter((c) =>
    wanted.includes(c.id),
  );
  if (cases.length === 0) throw new Error(`no mini-MIAS training normals under ${REFERENCE_DATA_DIR}`);
  const runtime = await getDetectionRuntime(config, params);
  const size = runtime.classifier.region?.patchSize;
  if (!size) throw new Error('the classifier names no cluster-region CNN, so there is no window to cut');
  const writer = new PatchWriter(out, size);
  const random = new SeededRandom(seed);
  const marks: unknown[] = [];
  // No calcification is labelled in these windows: one all-zero target serves every patch.
  const blank = new Uint8Array(size * size);
  try {
    for (const [index, c] of cases.entries()) {
      const prepared = await c.prepare(config.imaging);
      if (!prepared.ok) throw new Error(`${c.id}: ${prepared.reason}`);
      const image = prepared.image;
      const { findings } = await analysePreparedImageInDetail(image, runtime, params);
      if (findings.status !== 'analysed')
        throw new Error(`${c.id}: ${findings.failureReason ?? 'not analysed'}`);
      const jitter = JITTER_MM / image.workingSpacingMm;
      const rng = random.fork(index);
      for (const cluster of findings.clusters) {
        const centre = image.transform.toWorking(cluster.center);
        for (let k = 0; k < copies; k++) {
          const at =
            k === 0
              ? centre
              : { x: centre.x + rng.uniform(-jitter, jitter), y: centre.y + rng.uniform(-jitter, jitter) };
          writer.add({
            patch: {
              image: cutRegion(image, at, size),
              target: blank,
              centres: blank,
              speckIndices: [],
            },
            label: {
              tissue: 'mias',
              kind: 'hardNegative',
              speckCount: cluster.calcifications.length,
              pathology: 'benign',
              hardNegativeSource: 'realCluster',
            },
          });
        }
        marks.push({
          image: c.id,
          x: cluster.center.x,
          y: cluster.center.y,
          detection: cluster.detectionScore,
          malignancy: cluster.malignancy,
        });
      }
      process.stderr.write(`\r${index + 1}/${cases.length} images, ${marks.length} clusters`);
    }
  } finally {
    await closeDetectionRuntimes();
  }
  process.stderr.write('\n');
  const meta = writer.close({ seed, tissueSources: ['mias'], generator: generatorVersion(), holdout: false });
  fs.writeFileSync(path.join(out, 'marks.json'), JSON.stringify({ floor, copies, marks }, null, 1));
  console.log(JSON.stringify({ ...meta, clusters: marks.length, images: cases.length }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
