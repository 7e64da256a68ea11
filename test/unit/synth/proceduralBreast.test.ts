import { SeededRandom } from '../../../src/synth/random';
import { BUSY_TEXTURE, planProceduralBreast, renderProceduralWindow, type TextureRange } from '../../../src/synth/tissue/proceduralBreast';
import { sceneSourcesByName } from '../../../src/synth/patches/sceneSources';

const view = { laterality: 'L' as const, view: 'CC' as const };
const [width, height, spacingMm] = [300, 380, 0.1];

/** Root-mean-square difference between neighbouring breast pixels, relative to the mean level: fine-scale roughness. */
function fineRoughness(seed: number, texture: TextureRange): number {
  const breast = planProceduralBreast(view, width, height, spacingMm, new SeededRandom(seed).fork(1), texture);
  const image = renderProceduralWindow(breast, { x0: 0, y0: 0, width, height }, new SeededRandom(seed).fork(2));
  let sum = 0;
  let level = 0;
  let n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x + 1 < width; x++) {
      const i = y * width + x;
      if (!image.breastMask[i] || !image.breastMask[i + 1] || breast.geometry.depthBelowSkinMm(x, y) < 15) continue;
      sum += (image.attenuation[i + 1] - image.attenuation[i]) ** 2;
      level += image.attenuation[i];
      n++;
    }
  }
  return Math.sqrt(sum / n) / (level / n);
}

describe('procedural breast texture', () => {
  it('draws the screening range by default and the same breast with a busy texture', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const screening = planProceduralBreast(view, width, height, spacingMm, new SeededRandom(seed));
      expect(screening.beta).toBeGreaterThanOrEqual(2.5);
      expect(screening.beta).toBeLessThanOrEqual(3.5);
      const busy = planProceduralBreast(view, width, height, spacingMm, new SeededRandom(seed), BUSY_TEXTURE);
      expect(busy.beta).toBeLessThanOrEqual(2.75);
      expect(busy.glandThreshold).toBeGreaterThanOrEqual(0.3);
      // Only the texture differs: the outline, vessels and thickness come from the same draws.
      expect(busy.geometry.nipple).toEqual(screening.geometry.nipple);
      expect(busy.vessels).toEqual(screening.vessels);
      expect(busy.compressedThicknessMm).toBe(screening.compressedThicknessMm);
    }
  });

  it('renders busy tissue rougher at fine scales than smooth screening tissue', () => {
    const smooth: TextureRange = { betaRange: [3.4, 3.5], glandThresholds: BUSY_TEXTURE.glandThresholds };
    for (const seed of [3, 4]) expect(fineRoughness(seed, BUSY_TEXTURE)).toBeGreaterThan(2 * fineRoughness(seed, smooth));
  });

  it('is a patch tissue source by name', () => {
    expect(sceneSourcesByName(['busy'], false).map((s) => s.name)).toEqual(['busy']);
    expect(() => sceneSourcesByName(['rough'], false)).toThrow(/procedural, busy, mias, ffdm/);
  });
});
