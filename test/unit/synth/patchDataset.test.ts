import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKGROUND_VALUE } from '../../../src/imaging/normalizeIntensity';
import { writePatchDataset } from '../../../src/synth/patches/patchDataset';
import type { PatchLabel } from '../../../src/synth/patches/patchLabel';
import { proceduralScene } from '../../../src/synth/patches/proceduralScene';

describe('patch dataset', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mammocad-patches-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the detector training format with the requested mix of kinds', () => {
    const count = 40;
    const size = 32;
    const out = join(dir, 'a');
    const meta = writePatchDataset({ outDir: out, count, size, seed: 3, sources: [{ name: 'procedural', make: (seed) => proceduralScene(seed, { heightMmRange: [40, 50] }) }], generator: 'test', holdout: false });
    expect(meta).toMatchObject({ version: 1, count, size, workingSpacingMm: 0.07, seed: 3, tissueSources: ['procedural'] });
    expect(meta.kinds).toEqual({ positive: 20, negative: 12, hardNegative: 8 });
    const images = new Float32Array(readFileSync(join(out, 'images.f32')).buffer.slice(0));
    const targets = readFileSync(join(out, 'targets.u8'));
    const centres = readFileSync(join(out, 'centres.u8'));
    expect(images.length).toBe(count * size * size);
    expect(targets.length).toBe(count * size * size);
    expect(centres.length).toBe(count * size * size);
    const labels = readFileSync(join(out, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PatchLabel);
    expect(labels.map((l) => l.index)).toEqual(Array.from({ length: count }, (_, i) => i));
    for (const label of labels) {
      const target = targets.subarray(label.index * size * size, (label.index + 1) * size * size);
      const ones = target.filter((v) => v === 1).length;
      expect(target.every((v) => v === 0 || v === 1 || v === 255)).toBe(true);
      if (label.kind === 'positive') expect(ones).toBeGreaterThan(0);
      else expect(ones).toBe(0);
      // One centre pixel per speck whose centre is inside (two specks can share a pixel), each on
      // its footprint.
      const centre = centres.subarray(label.index * size * size, (label.index + 1) * size * size);
      const centreIndices = [...centre.keys()].filter((i) => centre[i] !== 0);
      expect(centre.every((v) => v === 0 || v === 1)).toBe(true);
      expect(centreIndices.length).toBeLessThanOrEqual(label.speckCount);
      if (label.speckCount > 0) expect(centreIndices.length).toBeGreaterThan(0);
      for (const i of centreIndices) expect(target[i]).toBe(1);
      if (label.kind === 'hardNegative') expect(['vessel', 'ligament', 'skin', 'pectoral']).toContain(label.hardNegativeSource);
    }
    // Normalised by the imaging stage: breast median near 0, background exactly BACKGROUND_VALUE.
    const tissue = Array.from(images).filter((v) => v !== BACKGROUND_VALUE);
    const mean = tissue.reduce((a, b) => a + b, 0) / tissue.length;
    expect(Math.abs(mean)).toBeLessThan(1.5);
  });

  it('makes specks brighter than the tissue around them in the prepared image', () => {
    const scene = proceduralScene(7, { heightMmRange: [40, 50] });
    const { prepared } = scene;
    const value = (x: number, y: number): number => prepared.pixels[Math.floor(y) * prepared.width + Math.floor(x)];
    const contrasts: number[] = [];
    for (const speck of scene.specks.filter((s) => !s.largeForm)) {
      const w = prepared.transform.toWorking(speck);
      // Mean of a ring 8-10 px away: the local background.
      let ring = 0;
      let n = 0;
      for (let k = 0; k < 24; k++) {
        const theta = (k / 24) * 2 * Math.PI;
        for (const r of [8, 10]) {
          const x = w.x + r * Math.cos(theta);
          const y = w.y + r * Math.sin(theta);
          if (x < 0 || y < 0 || x >= prepared.width || y >= prepared.height) continue;
          ring += value(x, y);
          n++;
        }
      }
      if (n > 0) contrasts.push(value(w.x, w.y) - ring / n);
    }
    expect(contrasts.length).toBeGreaterThan(3);
    const brighter = contrasts.filter((c) => c > 0).length;
    expect(brighter / contrasts.length).toBeGreaterThan(0.8);
  });
});
