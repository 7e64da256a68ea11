import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writePatchDataset } from '../../../src/synth/patches/patchDataset';
import { proceduralScene } from '../../../src/synth/patches/proceduralScene';
import { describeWithTorch, PYTHON, TRAIN_SCRIPTS } from '../../helpers/trainingPython';

interface PatchResult {
  threshold: number;
  speckSensitivity: number;
  specks: number;
  falseMarksPerPatch: number;
}
interface RateResult extends PatchResult {
  rate: number;
  rateReached: boolean;
}

const DETECTOR = path.join(__dirname, '../../../models/mammocad-calc-detector.pt');

describeWithTorch('evaluate_patches.py (the committed detector on hold-out patches)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-eval-patches-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives sensitivity at fixed thresholds and, by bisection, at matched false marks per patch', () => {
    const patches = path.join(dir, 'patches');
    const sources = [
      {
        name: 'procedural',
        make: (seed: number) => proceduralScene(seed, { heightMmRange: [40, 50] as [number, number] }),
      },
    ];
    writePatchDataset({
      outDir: patches,
      count: 60,
      size: 64,
      seed: 7,
      sources,
      generator: 'test',
      holdout: true,
    });
    const json = path.join(dir, 'result.json');
    execFileSync(PYTHON, [
      path.join(TRAIN_SCRIPTS, 'evaluate_patches.py'),
      '--data',
      patches,
      '--ckpt',
      DETECTOR,
      '--thresholds',
      '0.3,0.9',
      '--at-rates',
      '0,0.05,0.5',
      '--json',
      json,
    ]);
    const { results, atRates } = JSON.parse(fs.readFileSync(json, 'utf8')) as {
      results: PatchResult[];
      atRates: RateResult[];
    };

    expect(results.map((r) => r.threshold)).toEqual([0.3, 0.9]);
    expect(results[0].specks).toBeGreaterThan(20);
    expect(results[0].speckSensitivity).toBeGreaterThan(results[1].speckSensitivity);
    expect(results[0].falseMarksPerPatch).toBeGreaterThanOrEqual(results[1].falseMarksPerPatch);

    expect(atRates.map((r) => r.rate)).toEqual([0, 0.05, 0.5]);
    for (const r of atRates) {
      expect(r.rateReached).toBe(true);
      expect(r.falseMarksPerPatch).toBeLessThanOrEqual(r.rate);
      expect(r.threshold).toBeGreaterThan(0);
      expect(r.threshold).toBeLessThanOrEqual(1);
    }
    // Threshold 0.9 already gives no false mark here, so the bisection must stop at or below it.
    expect(results[1].falseMarksPerPatch).toBe(0);
    expect(atRates[0].threshold).toBeLessThanOrEqual(0.9);
    expect(atRates[0].speckSensitivity).toBeGreaterThanOrEqual(results[1].speckSensitivity);
    // A looser rate never needs a higher threshold, and finds at least as many specks.
    expect(atRates[1].threshold).toBeGreaterThanOrEqual(atRates[2].threshold);
    expect(atRates[0].threshold).toBeGreaterThanOrEqual(atRates[1].threshold);
    expect(atRates[2].speckSensitivity).toBeGreaterThanOrEqual(atRates[1].speckSensitivity);
    expect(atRates[2].speckSensitivity).toBeGreaterThan(0);
  }, 120_000);
});
