/**
 * Candidate clusters of labelled synthetic studies at several speck thresholds, labelled with the
 * evaluation's hit rule (centre inside the true cluster's region): the training and selection data
 * of the cluster false-positive reducer. The detector runs once per image (heatmap kept), then every
 * threshold goes through the production post-processing (extractSpecks → skin-line filter →
 * candidateClusters). Results are cached as JSON, since inference is the slow part.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../src/config/schema';
import { candidateClusters } from '../../src/detect/candidateClusters';
import { clusterDetectionScore } from '../../src/detect/buildClusterFindings';
import { clusterFilterVector } from '../../src/detect/clusterFilter';
import type { DetectionParameters } from '../../src/detect/detectionParameters';
import { DetectorPool } from '../../src/detect/detectorPool';
import { DETECTOR_MODEL_FILE } from '../../src/detect/algorithmIdentity';
import { extractSpecks } from '../../src/detect/extractSpecks';
import { awayFromBreastEdge } from '../../src/detect/skinLineFilter';
import { insideRegion, syntheticCases } from '../eval/evaluationCases';

/** One post-processing setting whose candidates are collected: speck threshold and link distance. */
export interface CandidateSetting {
  threshold: number;
  linkDistanceMm: number;
}

export const settingKey = (s: CandidateSetting) => `${s.threshold}@${s.linkDistanceMm}mm`;

export interface CandidateRow {
  image: string;
  /** settingKey of the post-processing setting that produced it. */
  setting: string;
  /** clusterFilterVector order. */
  x: number[];
  /** True clusters whose region holds the candidate's centre (empty: a false cluster). */
  hits: string[];
  /** The pre-filter detection score (mean of the top three speck scores plus a count bonus). */
  heuristicScore: number;
}

export interface CandidateSet {
  dataset: string;
  settings: string[];
  images: string[];
  trueClusters: string[];
  rows: CandidateRow[];
}

export async function collectCandidates(
  dataset: string,
  settings: CandidateSetting[],
  config: Pick<Config, 'imaging' | 'inference' | 'worker'>,
  params: DetectionParameters,
  cacheFile?: string,
  heatmapDir?: string,
): Promise<CandidateSet> {
  if (cacheFile && fs.existsSync(cacheFile)) {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as CandidateSet;
    if (
      cached.dataset === path.resolve(dataset) &&
      settings.every((t) => cached.settings.includes(settingKey(t)))
    )
      return cached;
  }
  // The detector alone (the runtime would also load the cluster filter this data trains).
  const pool = new DetectorPool({
    modelPath: path.resolve(config.inference.modelDir, DETECTOR_MODEL_FILE),
    executionProvider: config.inference.executionProvider,
    threads: config.inference.threads,
    size: 1,
  });
  await pool.start();
  const set: CandidateSet = {
    dataset: path.resolve(dataset),
    settings: settings.map(settingKey),
    images: [],
    trueClusters: [],
    rows: [],
  };
  const lowest = Math.min(...settings.map((s) => s.threshold));
  for (const c of syntheticCases(dataset)) {
    const prepared = await c.prepare(config.imaging);
    if (!prepared.ok) throw new Error(`${c.id}: ${prepared.reason}`);
    const image = prepared.image;
    const spacingMm = image.workingSpacingMm;
    const speckOptions = { threshold: lowest, spacingMm, maxDiameterMm: params.maxSpeckDiameterMm };
    const heatmap = await cachedHeatmap(
      pool,
      image,
      speckOptions,
      heatmapDir && path.join(heatmapDir, `${c.id.replace(/[\\/]/g, '_')}.f32`),
    );
    set.images.push(c.id);
    set.trueClusters.push(...c.clusters.map((t) => t.id));
    for (const threshold of [...new Set(settings.map((s) => s.threshold))]) {
      const specks = extractSpecks(heatmap, image.pixels, image.mask, image.width, image.height, {
        ...speckOptions,
        threshold,
      });
      const inside = awayFromBreastEdge(
        specks,
        image.mask,
        image.width,
        image.height,
        params.edgeMarginMm / spacingMm,
      );
      for (const setting of settings.filter((s) => s.threshold === threshold)) {
        for (const k of candidateClusters(inside, image, spacingMm, {
          ...params,
          linkDistanceMm: setting.linkDistanceMm,
        })) {
          const centre = image.transform.toOriginal(k.centre);
          set.rows.push({
            image: c.id,
            setting: settingKey(setting),
            x: clusterFilterVector(k.features),
            hits: c.clusters.filter((t) => insideRegion(centre, t.region)).map((t) => t.id),
            heuristicScore: clusterDetectionScore(k.specks.map((s) => s.score)),
          });
        }
      }
    }
    process.stderr.write(
      `${c.id}: ${set.rows.filter((r) => r.image === c.id).length} candidates over ${settings.length} settings\n`,
    );
  }
  await pool.close();
  if (cacheFile) {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    fs.writeFileSync(cacheFile, JSON.stringify(set));
  }
  return set;
}

/** The detector's heatmap of one image, read from (or written to) a raw float32 file when a path is given. */
async function cachedHeatmap(
  pool: DetectorPool,
  image: { pixels: Float32Array; width: number; height: number; mask: Uint8Array | null },
  speckOptions: { threshold: number; spacingMm: number; maxDiameterMm?: number },
  file: string | undefined,
): Promise<Float32Array> {
  if (file && fs.existsSync(file)) {
    const bytes = fs.readFileSync(file);
    if (bytes.length === image.width * image.height * 4)
      return new Float32Array(bytes.buffer, bytes.byteOffset, image.width * image.height);
  }
  const heatmap = (await pool.detect(image, speckOptions, { returnHeatmap: true })).heatmap as Float32Array;
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.from(heatmap.buffer, heatmap.byteOffset, heatmap.byteLength));
  }
  return heatmap;
}
