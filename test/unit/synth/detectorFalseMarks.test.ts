import type { DetectedSpeck } from '../../../src/detect/detectedSpeck';
import { detectorFalseMarkPatches } from '../../../src/synth/patches/detectorFalseMarks';
import { proceduralScene } from '../../../src/synth/patches/proceduralScene';
import { TARGET } from '../../../src/synth/patches/patchScene';
import { SeededRandom } from '../../../src/synth/random';

const speckAt = (x: number, y: number, score: number): DetectedSpeck => ({
  x,
  y,
  areaPx: 4,
  diameterMm: 0.16,
  score,
  contrast: 1,
  elongation: 1,
  orientation: 0,
  component: 0,
});

describe('hard negatives at the detector false marks', () => {
  const scene = proceduralScene(7, { heightMmRange: [40, 50] });
  const { prepared } = scene;
  const size = 32;
  const onTruth = scene.specks.map((s) => prepared.transform.toWorking(s));
  /** Breast points at least a patch away from every inserted speck (working grid). */
  const clear: { x: number; y: number }[] = [];
  for (let y = size; y < prepared.height - size && clear.length < 40; y += 7)
    for (let x = size; x < prepared.width - size; x += 11)
      if (prepared.mask[y * prepared.width + x] && onTruth.every((t) => Math.hypot(t.x - x, t.y - y) > 1.5 * size)) clear.push({ x, y });

  it('cuts calcification-free patches around the strongest false specks, at most perScene', () => {
    expect(clear.length).toBeGreaterThan(5);
    const specks = [
      ...clear.slice(0, 5).map((p, i) => speckAt(p.x, p.y, 0.6 + i * 0.05)),
      ...onTruth.slice(0, 3).map((p) => speckAt(p.x, p.y, 0.99)),
    ];
    const patches = detectorFalseMarkPatches(scene, specks, 3, size, new SeededRandom(1));
    expect(patches).toHaveLength(3);
    for (const { patch, label } of patches) {
      expect(label).toEqual({ tissue: scene.tissue, kind: 'hardNegative', speckCount: 0, hardNegativeSource: 'detector' });
      expect(patch.target.includes(TARGET.calcification)).toBe(false);
    }
    // The strongest false specks (scores 0.8, 0.75, 0.7) are inside their patches.
    for (const [k, { patch }] of patches.entries()) {
      const p = clear[4 - k];
      const value = prepared.pixels[p.y * prepared.width + p.x];
      expect(Array.from(patch.image)).toContain(value);
    }
  });

  it('finds nothing to cut when every speck is a true calcification', () => {
    const specks = onTruth.map((p) => speckAt(p.x, p.y, 0.99));
    expect(detectorFalseMarkPatches(scene, specks, 10, size, new SeededRandom(1))).toHaveLength(0);
  });
});
