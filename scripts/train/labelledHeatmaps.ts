/**
 * The detector's heatmap of every labelled synthetic image of a dataset, with the prepared image and
 * its ground truth: the raw material of the false-positive reducers' training. Heatmaps (and the
 * speck-centre maps of a detector with that output) are cached as raw float32 files (inference is the
 * slow part), so settings can be explored without re-running it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../src/config/schema';
import { CENTRE_LOGITS_OUTPUT } from '../../src/detect/centreMap';
import { startDetectorPool } from '../../src/detect/detectionRuntime';
import type { DetectorPool } from '../../src/detect/detectorPool';
import type { PreparedImage } from '../../src/imaging/preparedImage';
import { syntheticCases, type EvaluationCase } from '../eval/evaluationCases';

export async function forEachLabelledHeatmap(
  dataset: string,
  config: Pick<Config, 'imaging' | 'inference'>,
  heatmapDir: string | undefined,
  visit: (c: EvaluationCase, image: PreparedImage, maps: DetectorMaps) => void,
): Promise<void> {
  // The detector alone: the runtime would also load the reducers that this data trains.
  const pool = await startDetectorPool(config.inference, 1);
  try {
    for (const c of syntheticCases(dataset)) {
      const prepared = await c.prepare(config.imaging);
      if (!prepared.ok) throw new Error(`${c.id}: ${prepared.reason}`);
      const image = prepared.image;
      const file = heatmapDir && path.join(heatmapDir, `${c.id.replace(/[\\/]/g, '_')}.f32`);
      visit(c, image, await cachedMaps(pool, image, file));
    }
  } finally {
    await pool.close();
  }
}

export interface DetectorMaps {
  heatmap: Float32Array;
  centres: Float32Array | null;
}

/** The detector's maps of one image, read from (or written to) raw float32 files when a path is given:
 * FILE for the heatmap, FILE with .centres.f32 for the centre map. */
async function cachedMaps(pool: DetectorPool, image: PreparedImage, file: string | undefined): Promise<DetectorMaps> {
  const pixels = image.width * image.height;
  const read = (f: string): Float32Array | null => {
    if (!fs.existsSync(f)) return null;
    const bytes = fs.readFileSync(f);
    return bytes.length === pixels * 4 ? new Float32Array(bytes.buffer, bytes.byteOffset, pixels) : null;
  };
  const centresFile = file?.replace(/\.f32$/, '.centres.f32');
  const heatmap = file ? read(file) : null;
  const hasCentres = pool.outputNames.includes(CENTRE_LOGITS_OUTPUT);
  const centres = hasCentres && centresFile ? read(centresFile) : null;
  // A cache written for a detector without the centre head has no centre file: run it again.
  if (heatmap && (!hasCentres || centres)) return { heatmap, centres };
  const speckOptions = { threshold: 0.5, spacingMm: image.workingSpacingMm };
  const result = await pool.detect(image, speckOptions, { returnHeatmap: true });
  const maps = { heatmap: result.heatmap as Float32Array, centres: result.centres ?? null };
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    write(file, maps.heatmap);
    if (maps.centres && centresFile) write(centresFile, maps.centres);
  }
  return maps;
}

function write(file: string, map: Float32Array): void {
  fs.writeFileSync(file, Buffer.from(map.buffer, map.byteOffset, map.byteLength));
}
