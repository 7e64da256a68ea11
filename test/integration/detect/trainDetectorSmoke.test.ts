import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DetectorPool } from '../../../src/detect/detectorPool';
import { describeWithTorch, PYTHON, TRAIN_SCRIPTS } from '../../helpers/trainingPython';

const script = path.join(TRAIN_SCRIPTS, 'train_detector.py');

describeWithTorch('train_detector.py smoke run (tiny built-in fixture)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-train-smoke-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('trains a few steps, resumes from its checkpoint, exports ONNX that onnxruntime-node runs with dynamic H/W', async () => {
    const onnx = path.join(dir, 'detector.onnx');
    const common = ['--fixture', '24', '--fixture-size', '32', '--batch', '4', '--ckpt-dir', dir, '--ckpt-every', '2', '--out', onnx];
    const first = execFileSync(PYTHON, [script, ...common, '--steps', '4', '--stop-after', '2'], { encoding: 'utf8' });
    expect(first).toContain('stopped at step 2');
    expect(fs.existsSync(onnx)).toBe(false);
    const resumed = execFileSync(PYTHON, [script, ...common, '--steps', '4', '--resume', path.join(dir, 'detector-last.pt')], { encoding: 'utf8' });
    expect(resumed).toContain('resumed from');
    expect(resumed).toContain('step 4/4');
    const record = JSON.parse(fs.readFileSync(path.join(dir, 'detector.training.json'), 'utf8'));
    expect(record.steps).toBe(4);
    expect(record.validation.patches).toBeGreaterThan(0);
    expect(record.widths).toEqual([12, 24, 48, 64]);
    expect(record.device).toBe('cpu');

    // Starting over in a folder that holds a checkpoint would overwrite it: refused, without --resume.
    const again = spawnSync(PYTHON, [script, ...common, '--steps', '4'], { encoding: 'utf8' });
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toBe(
      `train_detector: --ckpt-dir ${dir} holds a checkpoint at step 4: pass --resume ${path.join(dir, 'detector-last.pt')} to continue, or choose another folder`,
    );

    // The weights-only file beside the ONNX starts a fine-tuning run with the same shape.
    const weights = path.join(dir, 'detector.pt');
    expect(fs.existsSync(weights)).toBe(true);
    const tuned = path.join(dir, 'tuned.onnx');
    const fineTuneArgs = ['--fixture', '24', '--fixture-size', '32', '--batch', '4', '--ckpt-dir', path.join(dir, 'tuned'), '--out', tuned];
    const fineTune = execFileSync(PYTHON, [script, ...fineTuneArgs, '--steps', '2', '--init', weights], { encoding: 'utf8' });
    expect(fineTune).toContain('initial weights from');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'tuned.training.json'), 'utf8')).widths).toEqual([12, 24, 48, 64]);
    // --widths may grow the checkpoint's network (recorded), never shrink it or change its levels.
    const grownArgs = ['--fixture', '24', '--fixture-size', '32', '--batch', '4', '--ckpt-dir', path.join(dir, 'grown'), '--out', path.join(dir, 'grown.onnx')];
    const grown = execFileSync(PYTHON, [script, ...grownArgs, '--steps', '2', '--widths', '16,32,48,64', '--init', weights], { encoding: 'utf8' });
    expect(grown).toContain('widths 12,24,48,64 grown to 16,32,48,64');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'grown.training.json'), 'utf8')).widths).toEqual([16, 32, 48, 64]);
    const narrowed = spawnSync(PYTHON, [script, ...fineTuneArgs, '--ckpt-dir', path.join(dir, 'narrowed'), '--steps', '2', '--widths', '8,16,32', '--init', weights], { encoding: 'utf8' });
    expect(narrowed.status).toBe(1);
    expect(narrowed.stderr.trim()).toBe(`train_detector: --init ${weights} has widths 12,24,48,64; --widths may only widen them, level by level`);

    // Loaded the production way: an onnxruntime-node session in an inference worker thread.
    const pool = new DetectorPool({ modelPath: onnx, executionProvider: 'cpu', threads: 1, size: 1 });
    await pool.start();
    try {
      for (const [tileSize, w, h] of [
        [64, 150, 90],
        [40, 40, 48],
      ]) {
        const image = { pixels: new Float32Array(w * h), width: w, height: h, mask: null };
        const result = await pool.detect(image, { threshold: 0.5, spacingMm: 0.07 }, { heatmapOptions: { tileSize, margin: 8, batchSize: 2, windowContext: 8 }, returnHeatmap: true });
        expect(result.heatmap).toHaveLength(w * h);
        for (const v of result.heatmap as Float32Array) expect(v >= 0 && v <= 1).toBe(true);
      }
    } finally {
      await pool.close();
    }
  });

  it('--speck-balance moves the positives\' weight from a large speck to a small one and keeps their total', () => {
    // A 3 x 3 px speck (0.2 mm at 70 um) and a disc of radius 7 px (1 mm): per pixel, 9 against 149.
    const weights = (alpha: number) =>
      JSON.parse(
        execFileSync(PYTHON, [
          '-c',
          [
            'import sys, json, torch',
            `sys.path.insert(0, ${JSON.stringify(TRAIN_SCRIPTS)})`,
            'from train_detector import speck_balance_weights',
            'y = torch.zeros(1, 1, 64, 64); y[0, 0, 5:8, 5:8] = 1',
            'r, c = torch.meshgrid(torch.arange(64), torch.arange(64), indexing="ij"); y[0, 0][(r - 40) ** 2 + (c - 40) ** 2 <= 49] = 1',
            `w = speck_balance_weights(y, ${alpha})`,
            'print(json.dumps([float(w[0, 0, :20, :20].sum()), float(w[0, 0, 20:, 20:].sum()), float(y.sum())]))',
          ].join('\n'),
        ], { encoding: 'utf8' }),
      ) as [number, number, number];
    const [small, large, positives] = weights(1);
    expect(positives).toBe(158);
    expect(small + large).toBeCloseTo(positives, 3);
    expect(large / small).toBeLessThan(3); // per pixel it would be 149 / 9
    const [halfSmall, halfLarge] = weights(0.5);
    expect(halfLarge / halfSmall).toBeGreaterThan(large / small);
    expect(halfLarge / halfSmall).toBeLessThan(149 / 9);
  });

  it('exports the weight average with --ema, and a resumed run ends with the average of an uninterrupted one', () => {
    const run = (name: string, extra: string[]) => {
      const ckpt = path.join(dir, `ema-${name}`);
      const out = path.join(ckpt, 'detector.onnx');
      const common = ['--fixture', '24', '--fixture-size', '32', '--batch', '4', '--ckpt-dir', ckpt, '--ckpt-every', '2', '--out', out, '--steps', '4'];
      if (extra.includes('--stop-after')) {
        execFileSync(PYTHON, [script, ...common, ...extra], { encoding: 'utf8' });
        execFileSync(PYTHON, [script, ...common, ...extra.slice(0, 2), '--resume', path.join(ckpt, 'detector-last.pt')], { encoding: 'utf8' });
      } else execFileSync(PYTHON, [script, ...common, ...extra], { encoding: 'utf8' });
      return path.join(ckpt, 'detector.pt');
    };
    const averaged = run('whole', ['--ema', '0.5']);
    const resumed = run('resumed', ['--ema', '0.5', '--stop-after', '2']);
    const plain = run('plain', []);
    expect(JSON.parse(fs.readFileSync(path.join(path.dirname(averaged), 'detector.training.json'), 'utf8')).weightAverageDecay).toBe(0.5);
    // Largest difference between two weight files, over every floating-point tensor.
    const largestDifference = (a: string, b: string) =>
      Number(
        execFileSync(PYTHON, [
          '-c',
          'import sys, torch; a, b = (torch.load(p)["model"] for p in sys.argv[1:]); print(max(float((a[k] - b[k]).abs().max()) for k in a if a[k].is_floating_point()))',
          a,
          b,
        ], { encoding: 'utf8' }),
      );
    expect(largestDifference(averaged, resumed)).toBeLessThan(1e-6);
    expect(largestDifference(averaged, plain)).toBeGreaterThan(1e-4);
  });

  it('a network grown from the committed detector computes its heatmap, and its new channels learn', () => {
    const [difference, deadGradients, oldChannelsReadingNew] = JSON.parse(
      execFileSync(PYTHON, [
        '-c',
        [
          'import sys, json, torch',
          `sys.path.insert(0, ${JSON.stringify(TRAIN_SCRIPTS)})`,
          'from detector_net import CalcificationNet, detector_state, embed_weights',
          `ck = torch.load(${JSON.stringify(path.join(TRAIN_SCRIPTS, '../../models/mammocad-calc-detector.pt'))}, weights_only=False)`,
          'small = CalcificationNet(ck["widths"]); small.load_state_dict(detector_state(ck["model"]))',
          'large = CalcificationNet((16, 32, 48, 64)); embed_weights(detector_state(ck["model"]), large, silent=False)',
          'x = torch.randn(2, 1, 64, 64, generator=torch.Generator().manual_seed(5))',
          'difference = float((small.eval()(x) - large.eval()(x)).abs().max())',
          'large.train(); large(x).mean().backward()',
          // The new full-resolution channels: the stem makes them, the head must learn to read them.
          'w = large.head.weight',
          'print(json.dumps([difference, int((w.grad[0, 12:] == 0).all()), float(w[0, 12:].abs().max())]))',
        ].join('\n'),
      ], { encoding: 'utf8' }),
    ) as number[];
    expect(difference).toBeLessThan(1e-6);
    expect(oldChannelsReadingNew).toBe(0);
    expect(deadGradients).toBe(0);
  });

  it('--local-contrast: a channel of local contrast-to-noise ratio that gain does not change, recorded, and kept by --init', () => {
    const python = (lines: string[]) => execFileSync(PYTHON, ['-c', [`import sys, json, torch`, `sys.path.insert(0, ${JSON.stringify(TRAIN_SCRIPTS)})`, ...lines].join('\n')], { encoding: 'utf8' });
    // The same noise at two gains gives the same channel, of unit rms: the ratio, not the level.
    const [rmsQuiet, rmsBusy, gainDiff] = JSON.parse(
      python([
        'from detector_net import LocalContrast',
        'x = torch.randn(1, 1, 128, 128, generator=torch.Generator().manual_seed(3))',
        'a, b = LocalContrast()(0.5 * x)[:, 1], LocalContrast()(2.0 * x)[:, 1]',
        'print(json.dumps([float(a[..., 32:96, 32:96].pow(2).mean().sqrt()), float(b[..., 32:96, 32:96].pow(2).mean().sqrt()), float((a - b).abs().max())]))',
      ]),
    ) as number[];
    expect(rmsQuiet).toBeGreaterThan(0.85);
    expect(rmsQuiet).toBeLessThan(1.1);
    expect(rmsBusy).toBeCloseTo(rmsQuiet, 1);
    expect(gainDiff).toBeLessThan(0.05); // only the eps under the square root tells them apart

    const onnx = path.join(dir, 'local.onnx');
    const args = ['--fixture', '24', '--fixture-size', '32', '--batch', '4', '--steps', '2', '--local-contrast', '--ckpt-dir', path.join(dir, 'local'), '--out', onnx];
    execFileSync(PYTHON, [script, ...args], { encoding: 'utf8' });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'local.training.json'), 'utf8')).localContrast).toBe(true);

    // Fine-tuning keeps the checkpoint's input; asking a plain network for it is an error.
    const plain = path.join(TRAIN_SCRIPTS, '../../models/mammocad-calc-detector.pt');
    const refused = spawnSync(PYTHON, [script, ...args.slice(0, -4), '--ckpt-dir', path.join(dir, 'refused'), '--out', path.join(dir, 'refused.onnx'), '--init', plain], { encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`train_detector: --init is a network without the local-contrast input; --local-contrast needs a new one`);
  }, 180_000); // four Python start-ups (torch import)
});
