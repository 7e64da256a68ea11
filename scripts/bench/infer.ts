/**
 * npm run bench:infer -- [--json FILE] [--runs N] [--threads N] [--width 3328 --height 4096] [--dicom FILE]
 *   [--config FILE] [--split-mm R ... (the speck-extraction flags of `eval`)]
 *
 * Detection + classification time of one mammogram on the working grid (default 4096 x 3328 at
 * 70 µm, the Hologic Selenia size, so working = original), through the production worker pool.
 * Target: ≤ 2 s on 2 CPU cores, peak memory ≤ 1.5 GB. With --dicom, also times the whole
 * analyseImage (decode + prepare + detect + classify) of that file. --config (e.g. another
 * inference.modelDir) and the speck-extraction flags time a candidate model against the committed
 * one in the same run of the host.
 */
import fs from 'node:fs';
import path from 'node:path';
import { configSchema } from '../../src/config/schema';
import { analyseImage, analysePreparedImageInDetail } from '../../src/detect/analyseImage';
import { closeDetectionRuntimes, getDetectionRuntime } from '../../src/detect/detectionRuntime';
import { ALGORITHM_IDENTITY } from '../../src/detect/algorithmIdentity';
import { detectionParametersFor } from '../../src/detect/detectionParameters';
import { speckExtractionOverrides } from '../eval/speckExtractionOverrides';
import { syntheticPreparedImage } from './syntheticWorkingImage';
import { median } from './benchProcess';
import { numberFrom, option } from '../commandLine';

async function main(): Promise<void> {
  const width = numberFrom('width', option('width', '3328'));
  const height = numberFrom('height', option('height', '4096'));
  const runs = numberFrom('runs', option('runs', '3'));
  const threads = numberFrom('threads', option('threads', '2'));
  const configFile = option('config');
  const fromFile = configFile ? JSON.parse(fs.readFileSync(configFile, 'utf8')) : {};
  const config = configSchema.parse({ ...fromFile, inference: { ...fromFile.inference, threads } });
  const params = { ...detectionParametersFor(config), ...speckExtractionOverrides(option) };
  const { image } = syntheticPreparedImage({
    width,
    height,
    seed: 7,
    clusters: [
      { center: { x: width * 0.4, y: height * 0.4 }, specks: 12, diameterMm: [0.15, 0.5], radiusMm: 4, cnr: 6 },
      { center: { x: width * 0.6, y: height * 0.6 }, specks: 6, diameterMm: [0.3, 0.6], radiusMm: 3, cnr: 8 },
    ],
  });
  let breast = 0;
  for (const m of image.mask) breast += m;
  const startup = performance.now();
  const runtime = await getDetectionRuntime(config, params);
  const startupMs = performance.now() - startup;
  await analysePreparedImageInDetail(image, runtime, params); // warm-up: first-run allocations
  const totals: number[] = [];
  const infers: number[] = [];
  const posts: number[] = [];
  let tiles = 0;
  let clusters = 0;
  let peakRssBytes = 0;
  const cpuMs: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const { findings, detection } = await analysePreparedImageInDetail(image, runtime, params);
    totals.push(performance.now() - t0);
    // Process CPU time (user + system) of the run: the main thread only waits meanwhile, so this is
    // the worker's work. On a shared, oversubscribed host it shows what idle cores would take.
    const c = process.cpuUsage(c0);
    cpuMs.push((c.user + c.system) / 1000);
    infers.push(detection?.inferMs ?? NaN);
    posts.push(detection?.postMs ?? NaN);
    tiles = detection?.tiles ?? 0;
    clusters = findings.clusters.length;
    peakRssBytes = Math.max(peakRssBytes, detection?.peakRssBytes ?? 0);
  }
  let dicom: Record<string, unknown> | undefined;
  const dicomPath = option('dicom');
  if (dicomPath) {
    const t0 = performance.now();
    const f = await analyseImage(dicomPath, config, params);
    dicom = { file: dicomPath, status: f.status, ms: performance.now() - t0, rows: f.rows, columns: f.columns, clusters: f.clusters.length };
  }
  const result = {
    algorithm: ALGORITHM_IDENTITY,
    image: { width, height, workingSpacingMm: image.workingSpacingMm, breastMegapixels: breast / 1e6 },
    modelDir: config.inference.modelDir,
    speckSplit: { radiusMm: params.speckSplitRadiusMm, signal: params.speckSplitSignal, minPeak: params.speckSplitMinPeak, minPeakCoarse: params.speckSplitMinPeakCoarse },
    threads,
    runs,
    sessionStartMs: startupMs,
    detectAndClassifyMs: { median: median(totals), all: totals },
    cpuMs: median(cpuMs),
    /** CPU time spread over the threads: the wall time on otherwise idle cores. */
    idleCoreEstimateMs: median(cpuMs) / Math.min(threads, require('node:os').cpus().length),
    inferenceMs: median(infers),
    heatmapToSpecksMs: median(posts),
    tiles,
    clusters,
    peakProcessRssMb: peakRssBytes / 2 ** 20,
    targets: { ms: 2000, peakMemoryMb: 1536 },
    ...(dicom ? { dicom } : {}),
    host: { cpus: require('node:os').cpus().length, loadavg: require('node:os').loadavg() },
  };
  console.log(JSON.stringify(result, null, 2));
  const jsonOut = option('json');
  if (jsonOut) {
    fs.mkdirSync(path.dirname(jsonOut), { recursive: true });
    fs.writeFileSync(jsonOut, JSON.stringify(result, null, 2) + '\n');
  }
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDetectionRuntimes());
