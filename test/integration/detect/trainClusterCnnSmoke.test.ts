import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DetectorPool } from '../../../src/detect/detectorPool';
import { DETECTOR_MODEL_FILE } from '../../../src/detect/algorithmIdentity';
import { writeClusterPatchDataset } from '../../../src/synth/patches/clusterPatches';
import { writePatchDataset } from '../../../src/synth/patches/patchDataset';
import { proceduralScene } from '../../../src/synth/patches/proceduralScene';
import { describeWithTorch, PYTHON, TRAIN_SCRIPTS } from '../../helpers/trainingPython';

const script = path.join(TRAIN_SCRIPTS, 'train_cluster_cnn.py');
const detector = path.join(__dirname, '../../../models', DETECTOR_MODEL_FILE);

describeWithTorch('train_cluster_cnn.py smoke run (cluster-centred synthetic patches)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-cluster-cnn-smoke-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes labelled cluster patches, trains both targets, resumes, and the exports run in the inference worker', async () => {
    const data = path.join(dir, 'patches');
    const meta = writeClusterPatchDataset({
      outDir: data,
      count: 8,
      size: 32,
      seed: 3,
      sources: [{ name: 'procedural', make: (seed) => proceduralScene(seed, { heightMmRange: [40, 45] }) }],
      generator: 'test',
    });
    expect(meta.count).toBe(8);
    const labels = fs.readFileSync(path.join(data, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    for (const label of labels) {
      expect(['benign', 'malignant']).toContain(label.pathology);
      expect(label.speckCount).toBeGreaterThan(0);
    }

    const onnx = path.join(dir, 'region.onnx');
    const common = [script, '--data', data, '--batch', '4', '--ckpt-dir', dir, '--out', onnx, '--steps', '4', '--threads', '1'];
    expect(execFileSync(PYTHON, [...common, '--stop-after', '2'], { encoding: 'utf8' })).toContain('stopped at step 2');
    expect(fs.existsSync(onnx)).toBe(false);
    const resumed = execFileSync(PYTHON, [...common, '--resume', path.join(dir, 'cluster-cnn-last.pt')], { encoding: 'utf8' });
    expect(resumed).toContain('resumed from');
    const record = JSON.parse(fs.readFileSync(path.join(dir, 'region.training.json'), 'utf8'));
    expect(record).toMatchObject({ steps: 4, patchSize: 32 });
    expect(Number.isFinite(record.meanTrainingLogit)).toBe(true);
    // Bit for bit what an uninterrupted run gives: the checkpoint carries the random state that dropout draws from.
    const whole = path.join(dir, 'whole', 'region.onnx');
    execFileSync(PYTHON, [script, '--data', data, '--batch', '4', '--ckpt-dir', path.join(dir, 'whole'), '--out', whole, '--steps', '4', '--threads', '1']);
    expect(fs.readFileSync(onnx).equals(fs.readFileSync(whole))).toBe(true);

    // The presence target: the cluster patches against calcification-free tissue patches.
    const tissue = path.join(dir, 'tissue');
    const tissueMeta = writePatchDataset({ outDir: tissue, count: 8, size: 32, seed: 4, generator: 'test', holdout: false, sources: [{ name: 'procedural', make: (seed) => proceduralScene(seed, { heightMmRange: [40, 45] }) }] });
    const tissuePatches = tissueMeta.kinds.negative + tissueMeta.kinds.hardNegative;
    const presence = path.join(dir, 'presence.onnx');
    const presenceArgs = [script, '--data', data, '--negatives', tissue, '--target', 'presence', '--batch', '4', '--ckpt-dir', path.join(dir, 'p'), '--out', presence, '--steps', '2', '--threads', '1'];
    // Every cluster patch is kept (min-seen 0), beside the tissue set's calcification-free patches.
    expect(execFileSync(PYTHON, presenceArgs, { encoding: 'utf8' })).toContain(`${8 + tissuePatches} of ${8 + tissuePatches} patches show >= 0 specks`);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'presence.training.json'), 'utf8'))).toMatchObject({ target: 'presence', minSeen: 0 });
    expect(() => execFileSync(PYTHON, [script, '--data', data, '--target', 'presence', '--ckpt-dir', path.join(dir, 'q'), '--out', presence], { stdio: 'pipe' })).toThrow(/--negatives goes with --target presence/);

    // The production way: more sessions in the detector's inference worker, one per named CNN.
    const pool = new DetectorPool({ modelPath: detector, executionProvider: 'cpu', threads: 1, size: 1, regionModels: { malignancy: onnx, presence } });
    await pool.start();
    try {
      const images = fs.readFileSync(path.join(data, 'images.f32'));
      const patches = new Float32Array(images.buffer, images.byteOffset, 3 * 32 * 32).slice();
      const logits = await pool.scoreRegions('malignancy', patches, 32);
      expect(logits).toHaveLength(3);
      for (const v of logits) expect(Number.isFinite(v)).toBe(true);
      // Deterministic, and each patch scored on its own pixels.
      expect(Array.from(await pool.scoreRegions('malignancy', patches.slice(32 * 32, 2 * 32 * 32), 32))[0]).toBeCloseTo(logits[1], 5);
      // The other name runs the other network.
      const presenceLogits = await pool.scoreRegions('presence', patches, 32);
      expect(presenceLogits).toHaveLength(3);
      expect(Array.from(presenceLogits)).not.toEqual(Array.from(logits));
    } finally {
      await pool.close();
    }
    const plain = new DetectorPool({ modelPath: detector, executionProvider: 'cpu', threads: 1, size: 1 });
    await plain.start();
    await expect(plain.scoreRegions('presence', new Float32Array(32 * 32), 32)).rejects.toThrow(/without a presence cluster-region model/);
    await plain.close();
  }, 180_000); // two Python start-ups (torch import) and a few synthetic breasts
});
