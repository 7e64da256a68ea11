import path from 'node:path';
import { DetectorPool } from '../../../src/detect/detectorPool';
import { DETECTOR_MODEL_FILE } from '../../../src/detect/algorithmIdentity';

const modelPath = path.join(__dirname, '../../../models', DETECTOR_MODEL_FILE);

describe('DetectorPool', () => {
  it('serves queued images on two workers, in order of their promises, and refuses work once closed', async () => {
    const pool = new DetectorPool({ modelPath, executionProvider: 'cpu', threads: 1, size: 2 });
    await pool.start();
    const image = (v: number) => ({ pixels: new Float32Array(96 * 80).fill(v), width: 96, height: 80, mask: null });
    const options = { heatmapOptions: { tileSize: 64, margin: 8, batchSize: 2 }, returnHeatmap: true };
    const results = await Promise.all([0, 0.5, 1].map((v) => pool.detect(image(v), { threshold: 0.99, spacingMm: 0.07 }, options)));
    for (const r of results) expect(r.heatmap).toHaveLength(96 * 80);
    expect(pool.healthy).toBe(true);
    await pool.close();
    expect(pool.healthy).toBe(false);
    await expect(pool.detect(image(0), { threshold: 0.5, spacingMm: 0.07 })).rejects.toThrow(/closed/);
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

  it('fails start-up with the reason when the model file is missing', async () => {
    const pool = new DetectorPool({ modelPath: '/nonexistent/model.onnx', executionProvider: 'cpu', threads: 1, size: 1 });
    await expect(pool.start()).rejects.toThrow(/cannot start the "cpu" execution provider for \/nonexistent\/model.onnx/);
  });
});
