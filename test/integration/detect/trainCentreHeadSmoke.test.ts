import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSchema } from '../../../src/config/schema';
import {
  CLASSIFIER_MODEL_FILE,
  CLUSTER_FILTER_COARSE_MODEL_FILE,
  CLUSTER_FILTER_MODEL_FILE,
  DETECTOR_MODEL_FILE,
  SPECK_CERTAINTY_COARSE_MODEL_FILE,
  SPECK_CERTAINTY_MODEL_FILE,
} from '../../../src/detect/algorithmIdentity';
import { loadClassifierModel } from '../../../src/classify/classifyCluster';
import { DEFAULT_DETECTION_PARAMETERS } from '../../../src/detect/detectionParameters';
import { closeDetectionRuntimes, getDetectionRuntime } from '../../../src/detect/detectionRuntime';
import { DetectorPool } from '../../../src/detect/detectorPool';
import { loadSpeckCertaintyModel } from '../../../src/detect/speckCertainty';
import { writePatchDataset } from '../../../src/synth/patches/patchDataset';
import { proceduralScene } from '../../../src/synth/patches/proceduralScene';
import { describeWithTorch, PYTHON, TRAIN_SCRIPTS as scripts } from '../../helpers/trainingPython';

/**
 * argv: checkpoint, float32 image file, side, output ONNX, output map. The head of a two-step smoke
 * run is nearly flat, so its convolutions are first given random weights (a map with contrast to
 * compare); writes that model's ONNX and PyTorch's full-resolution centre map of the image.
 */
const TORCH_CENTRES = `
import sys, numpy as np, torch
from detector_net import CalcificationNet, export_onnx
ck = torch.load(sys.argv[1], map_location="cpu")
net = CalcificationNet(ck["widths"], centre_head_depth=ck["centreHeadDepth"], centre_head_half=ck["centreHeadHalf"])
net.load_state_dict(ck["model"])
torch.manual_seed(0)
for m in net.centre.modules():
    if isinstance(m, torch.nn.Conv2d):
        torch.nn.init.normal_(m.weight, std=1.0)
        if m.bias is not None:
            torch.nn.init.zeros_(m.bias)
net.eval()
export_onnx(net, sys.argv[4])
side = int(sys.argv[3])
with torch.no_grad():
    _, centres = net(torch.from_numpy(np.fromfile(sys.argv[2], np.float32).reshape(1, 1, side, side)))
centres.numpy().astype(np.float32).tofile(sys.argv[5])
`;

describeWithTorch('train_centre_head.py smoke run', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-centre-smoke-'));
  afterAll(async () => {
    await closeDetectionRuntimes();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds a centre_logits output to a trained detector and leaves its heatmap exactly as it was', async () => {
    const patches = path.join(dir, 'patches');
    writePatchDataset({ outDir: patches, count: 16, size: 32, seed: 5, sources: [{ name: 'procedural', make: (seed) => proceduralScene(seed, { heightMmRange: [40, 50] }) }], generator: 'test', holdout: false });
    const detector = path.join(dir, 'detector.onnx');
    execFileSync(PYTHON, [path.join(scripts, 'train_detector.py'), '--fixture', '16', '--fixture-size', '32', '--batch', '4', '--steps', '2', '--ckpt-dir', dir, '--out', detector]);
    const withCentres = path.join(dir, 'centres', 'detector.onnx');
    const head = (out: string, ckptDir: string, extra: string[] = []) =>
      execFileSync(
        PYTHON,
        [path.join(scripts, 'train_centre_head.py'), '--data', patches, '--init', path.join(dir, 'detector.pt'), '--steps', '3', '--batch', '4', '--out', out, '--ckpt-dir', ckptDir, ...extra],
        { encoding: 'utf8' },
      );
    const log = head(withCentres, path.join(dir, 'centres-ck'));
    expect(log).toContain('step 3/3');
    // Interrupted and resumed, it ends with the uninterrupted run's head, bit for bit.
    const resumedHead = path.join(dir, 'resumed', 'detector.onnx');
    expect(head(resumedHead, path.join(dir, 'resumed'), ['--stop-after', '1'])).toContain('stopped at step 1');
    expect(head(resumedHead, path.join(dir, 'resumed'), ['--resume', path.join(dir, 'resumed', 'centre-head-last.pt')])).toContain('resumed from');
    expect(fs.readFileSync(resumedHead).equals(fs.readFileSync(withCentres))).toBe(true);
    const record = JSON.parse(fs.readFileSync(path.join(dir, 'centres', 'detector.centre-head.json'), 'utf8'));
    expect(record.centreHead.steps).toBe(3);
    expect(record.centreHead.validation[0].threshold).toBe(0.3);
    // The cheaper variant reads the ½-resolution decoder map; its ONNX output stays at ½ resolution.
    const halfHead = path.join(dir, 'half', 'detector.onnx');
    execFileSync(PYTHON, [path.join(scripts, 'train_centre_head.py'), '--data', patches, '--init', path.join(dir, 'detector.pt'), '--steps', '2', '--batch', '4', '--half', '--out', halfHead, '--ckpt-dir', path.join(dir, 'half-ck')]);
    // Re-exporting its checkpoint gives the same graph.
    const reexported = path.join(dir, 'half', 'reexported.onnx');
    execFileSync(PYTHON, [path.join(scripts, 'export_detector.py'), '--weights', path.join(dir, 'half', 'detector.pt'), '--out', reexported]);
    expect(fs.readFileSync(reexported)).toEqual(fs.readFileSync(halfHead));
    // Fine-tuning a detector that has a head starts from its backbone and says the head must be retrained.
    const retrain = execFileSync(
      PYTHON,
      [path.join(scripts, 'train_detector.py'), '--fixture', '8', '--fixture-size', '32', '--batch', '4', '--steps', '1', '--ckpt-dir', path.join(dir, 'retrain'), '--out', path.join(dir, 'retrain', 'detector.onnx'), '--init', path.join(dir, 'half', 'detector.pt')],
      { encoding: 'utf8' },
    );
    expect(retrain).toContain('speck-centre head is left out');

    // A detector without the head cannot be asked to split at centres: a clear error, not a guess.
    const w = 70;
    const h = 50;
    const image = { pixels: Float32Array.from({ length: w * h }, (_, i) => Math.sin(i / 7) + ((i * 7919) % 13) / 13), width: w, height: h, mask: null };
    const heatmapOptions = { tileSize: 32, margin: 8, batchSize: 2, windowContext: 8 };
    const plain = new DetectorPool({ modelPath: detector, executionProvider: 'cpu', threads: 1, size: 1 });
    const tuned = new DetectorPool({ modelPath: withCentres, executionProvider: 'cpu', threads: 1, size: 1 });
    const half = new DetectorPool({ modelPath: halfHead, executionProvider: 'cpu', threads: 1, size: 1 });
    await Promise.all([plain.start(), tuned.start(), half.start()]);
    try {
      const centreSplit = { threshold: 0.5, spacingMm: 0.07, splitRadiusMm: 0.07, splitSignal: 'centres' as const };
      await expect(plain.detect(image, centreSplit, { heatmapOptions })).rejects.toThrow(/"centre_logits" output/);
      const before = await plain.detect(image, { threshold: 0.5, spacingMm: 0.07 }, { heatmapOptions, returnHeatmap: true });
      const after = await tuned.detect(image, centreSplit, { heatmapOptions, returnHeatmap: true });
      expect(after.heatmap).toEqual(before.heatmap);
      expect([plain.outputNames, tuned.outputNames]).toEqual([['heatmap'], ['heatmap', 'centre_logits']]);
      expect(before.centres).toBeUndefined();
      expect(after.centres).toHaveLength(w * h);
      const halfResult = await half.detect(image, centreSplit, { heatmapOptions, returnHeatmap: true });
      expect(halfResult.heatmap).toEqual(before.heatmap);
      expect(halfResult.centres).toHaveLength(w * h);

      // The node interpolates the ½-resolution logits where it needs them: the values must be the
      // full-resolution map the training code computes (F.interpolate, then the sigmoid). One tile.
      const side = 64;
      const square = { pixels: Float32Array.from({ length: side * side }, (_, i) => Math.sin(i / 5) + ((i * 7919) % 11) / 11), width: side, height: side, mask: null };
      const input = path.join(dir, 'square.f32');
      const randomHead = path.join(dir, 'random-head.onnx');
      const expected = path.join(dir, 'square.centres.f32');
      fs.writeFileSync(input, square.pixels);
      execFileSync(PYTHON, ['-c', TORCH_CENTRES, path.join(dir, 'half', 'detector.pt'), input, String(side), randomHead, expected], { cwd: scripts });
      const torchCentres = new Float32Array(fs.readFileSync(expected).buffer.slice(0));
      expect(Math.max(...torchCentres) - Math.min(...torchCentres)).toBeGreaterThan(0.3);
      const random = new DetectorPool({ modelPath: randomHead, executionProvider: 'cpu', threads: 1, size: 1 });
      await random.start();
      const nodeCentres = (await random.detect(square, centreSplit, { heatmapOptions: { tileSize: side, margin: 8, batchSize: 1, windowContext: 8 }, returnHeatmap: true }).finally(() => random.close())).centres;
      expect(nodeCentres).toHaveLength(side * side);
      const worst = Math.max(...Array.from(nodeCentres as Float32Array, (v, i) => Math.abs(v - torchCentres[i])));
      expect(worst).toBeLessThan(1e-5);
    } finally {
      await Promise.all([plain.close(), tuned.close(), half.close()]);
    }

    // Settings that split at centres, with a model folder whose detector has no head: refused at start-up.
    const plainFolder = path.join(dir, 'plain-models');
    fs.mkdirSync(plainFolder);
    fs.copyFileSync(detector, path.join(plainFolder, DETECTOR_MODEL_FILE));
    const regionFile = loadClassifierModel(path.join('models', CLASSIFIER_MODEL_FILE)).region?.file;
    const stageFile = loadSpeckCertaintyModel(path.join('models', SPECK_CERTAINTY_MODEL_FILE)).stage?.file;
    const jsonModels = [CLASSIFIER_MODEL_FILE, CLUSTER_FILTER_MODEL_FILE, CLUSTER_FILTER_COARSE_MODEL_FILE, SPECK_CERTAINTY_MODEL_FILE, SPECK_CERTAINTY_COARSE_MODEL_FILE];
    for (const file of [...jsonModels, ...[regionFile, stageFile].filter((f): f is string => f !== undefined)]) fs.copyFileSync(path.join('models', file), path.join(plainFolder, file));
    const config = configSchema.parse({ inference: { modelDir: plainFolder, threads: 1 } });
    const centreSplit = { ...DEFAULT_DETECTION_PARAMETERS, speckSplitRadiusMm: 0.07, speckSplitSignal: 'centres' as const };
    await expect(getDetectionRuntime(config, centreSplit)).rejects.toThrow(/has no "centre_logits" output \(outputs: heatmap\).*train:centre-head/);
    await expect(getDetectionRuntime(config, { ...centreSplit, speckSplitRadiusMm: 0 })).resolves.toBeDefined();
  }, 180_000); // several Python start-ups (torch import) and two short training runs
});
