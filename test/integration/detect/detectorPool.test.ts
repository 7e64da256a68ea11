import path from 'node:path';
import { DetectorPool } from '../../../src/detect/detectorPool';
import { DETECTOR_MODEL_FILE } from '../../../src/detect/algorithmIdentity';
import { DEFAULT_HEATMAP_OPTIONS } from '../../../src/detect/heatmapInference';
import { planTiles } from '../../../src/detect/tilePlan';
import { syntheticPreparedImage } from '../../../scripts/bench/syntheticWorkingImage';

const modelPath = path.join(__dirname, '../../../models', DETECTOR_MODEL_FILE);

describe('DetectorPool', () => {
  it('serves queued images on two workers, in order of their promises, and refuses work once closed', async () => {
    const pool = new DetectorPool({ modelPath, executionProvider: 'cpu', threads: 1, size: 2 });
    await pool.start();
    const image = (v: number) => ({ pixels: new Float32Array(96 * 80).fill(v), width: 96, height: 80, mask: null });
    const options = { heatmapOptions: { tileSize: 64, margin: 8, batchSize: 2, windowContext: 8 }, returnHeatmap: true };
    const results = await Promise.all([0, 0.5, 1].map((v) => pool.detect(image(v), { threshold: 0.99, spacingMm: 0.07 }, options)));
    for (const r of results) expect(r.heatmap).toHaveLength(96 * 80);
    expect(pool.healthy).toBe(true);
    await pool.close();
    expect(pool.healthy).toBe(false);
    await expect(pool.detect(image(0), { threshold: 0.5, spacingMm: 0.07 })).rejects.toThrow(/closed/);
  });

  it('gives the breast the same heatmap and centres from tiles cut at the skin line as from whole tiles', async () => {
    const { image } = syntheticPreparedImage({
      width: 1400,
      height: 1100,
      seed: 11,
      clusters: [{ center: { x: 700, y: 500 }, specks: 8, diameterMm: [0.2, 0.5], radiusMm: 3, cnr: 6 }],
    });
    const { tileSize, margin, windowContext } = DEFAULT_HEATMAP_OPTIONS;
    const tiles = planTiles(image.mask, image.width, image.height, tileSize, margin, windowContext);
    expect(tiles.filter((t) => t.width < tileSize || t.height < tileSize).length).toBeGreaterThan(2);
    const pool = new DetectorPool({ modelPath, executionProvider: 'cpu', threads: 1, size: 1 });
    await pool.start();
    const speckOptions = { threshold: 0.8, spacingMm: 0.07 };
    const cut = await pool.detect(image, speckOptions, { returnHeatmap: true });
    // No mask: every tile whole, also those without breast.
    const whole = await pool.detect({ ...image, mask: null }, speckOptions, { returnHeatmap: true }).finally(() => pool.close());
    let differing = 0;
    let breast = 0;
    for (let i = 0; i < image.mask.length; i++) {
      if (!image.mask[i]) continue;
      breast++;
      if (cut.heatmap![i] !== whole.heatmap![i] || cut.centres![i] !== whole.centres![i]) differing++;
    }
    expect(breast).toBeGreaterThan(0.4 * image.mask.length);
    expect(differing).toBe(0);
    expect(cut.specks.length).toBeGreaterThanOrEqual(3);
    expect(cut.specks).toEqual(whole.specks);
  });

  it('closes while an image is being inferred: the caller is told, the process survives', async () => {
    // Terminating a worker inside session.run aborts the whole process (onnxruntime-node); close()
    // lets the run end first. Without that, this test takes jest down with it.
    const pool = new DetectorPool({ modelPath, executionProvider: 'cpu', threads: 1, size: 1 });
    await pool.start();
    const side = 1536;
    const running = pool.detect({ pixels: new Float32Array(side * side), width: side, height: side, mask: null }, { threshold: 0.5, spacingMm: 0.07 });
    const told = expect(running).rejects.toThrow(/detector pool is closed/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await pool.close();
    await told;
  });

  it('replaces a worker that died, and serves with the full pool again', async () => {
    const pool = new DetectorPool({ modelPath, executionProvider: 'cpu', threads: 1, size: 2 });
    await pool.start();
    const image = { pixels: new Float32Array(96 * 80), width: 96, height: 80, mask: null };
    const options = { heatmapOptions: { tileSize: 64, margin: 8, batchSize: 2, windowContext: 8 } };
    // An idle worker dies (as from an out-of-memory kill); terminating one mid-run would abort the process.
    await (pool as unknown as { workers: { terminate(): Promise<number> }[] }).workers[0].terminate();
    expect(pool.liveWorkers).toBe(2); // the replacement is starting
    const results = await Promise.all([1, 2, 3].map(() => pool.detect(image, { threshold: 0.99, spacingMm: 0.07 }, options)));
    expect(results.map((r) => r.specks)).toEqual([[], [], []]);
    expect(pool.liveWorkers).toBe(2);
    expect(pool.healthy).toBe(true);
    await pool.close();
  });

  it('gives up a run that overruns its deadline: the caller is told, a new worker serves, the old one stops once its run ends', async () => {
    const pool = new DetectorPool({ modelPath, executionProvider: 'cpu', threads: 1, size: 1, runTimeoutMs: 400 });
    await pool.start();
    const internals = pool as unknown as { workers: object[]; setAside: Set<object> };
    const first = internals.workers[0];
    const side = 2048; // several seconds on one thread
    const started = Date.now();
    await expect(pool.detect({ pixels: new Float32Array(side * side), width: side, height: side, mask: null }, { threshold: 0.5, spacingMm: 0.07 })).rejects.toThrow(
      /inference did not finish within 0.4 s; its worker was set aside/,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(internals.setAside.size).toBe(1);
    expect(internals.workers).not.toContain(first);
    expect(pool.liveWorkers).toBe(1);
    // The replacement serves the next image (a small one, well within the deadline).
    const small = await pool.detect({ pixels: new Float32Array(96 * 80), width: 96, height: 80, mask: null }, { threshold: 0.99, spacingMm: 0.07 }, {
      heatmapOptions: { tileSize: 64, margin: 8, batchSize: 2, windowContext: 8 },
      returnHeatmap: true,
    });
    expect(small.heatmap).toHaveLength(96 * 80);
    // The set-aside worker is stopped when its long run ends.
    for (let waited = 0; internals.setAside.size > 0 && waited < 20_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(internals.setAside.size).toBe(0);
    await pool.close();
  });

  it('fails start-up with the reason when the model file is missing', async () => {
    const pool = new DetectorPool({ modelPath: '/nonexistent/model.onnx', executionProvider: 'cpu', threads: 1, size: 1 });
    await expect(pool.start()).rejects.toThrow(/cannot start the "cpu" execution provider for \/nonexistent\/model.onnx/);
  });
});
