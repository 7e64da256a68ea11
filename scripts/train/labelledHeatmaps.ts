/**
 * The detector's heatmap of every labelled synthetic image of a dataset, with the prepared image and
 * its ground truth: the raw material of the false-positive reducers' training. Heatmaps are cached as
 * raw float32 files (inference is the slow part), so settings can be explored without re-running it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../src/config/schema';
import { startDetectorPool } from '../../src/detect/detectionRuntime';
import type { DetectorPool } from '../../src/detect/detectorPool';
import type { PreparedImage } from '../../src/imaging/preparedImage';
import { syntheticCases, type EvaluationCase } from '../eval/evaluationCases';

export async function forEachLabelledHeatmap(
  dataset: string,
  config: Pick<Config, 'imaging' | 'inference'>,
  heatmapDir: string | undefined,
  visit: (c: EvaluationCase, image: PreparedImage, heatmap: Float32Array) => void,
): Promise<void> {
  // The detector alone: the runtime would also load the reducers that this data trains.
  const pool = await startDetectorPool(config.inference, 1);
  try {
    for (const c of syntheticCases(dataset)) {
      const prepared = await c.prepare(config.imaging);
      if (!prepared.ok) throw new Error(`${c.id}: ${prepared.reason}`);
      const image = prepared.image;
      const file = heatmapDir && path.join(heatmapDir, `${c.id.replace(/[\\/]/g, '_')}.f32`);
      visit(c, image, await cachedHeatmap(pool, image, file));
    }
  } finally {
    await pool.close();
  }
}

/** The detector's heatmap of one image, read from (or written to) a raw float32 file when a path is given. */
async function cachedHeatmap(
  pool: DetectorPool,
  image: PreparedImage,
  file: string | undefined,
): Promise<Float32Array> {
  if (file && fs.existsSync(file)) {
    const bytes = fs.readFileSync(file);
    if (bytes.length === image.width * image.height * 4)
      return new Float32Array(bytes.buffer, bytes.byteOffset, image.width * image.height);
  }
  const speckOptions = { threshold: 0.5, spacingMm: image.workingSpacingMm };
  const heatmap = (await pool.detect(image, speckOptions, { returnHeatmap: true })).heatmap as Float32Array;
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.from(heatmap.buffer, heatmap.byteOffset, heatmap.byteLength));
  }
  return heatmap;
}
