import { createAttenuationImage } from '../../../src/synth/attenuationImage';
import { DEFAULT_DETECTOR } from '../../../src/synth/detectorModel';
import { benignClusterRecipe, benignLargeFormRecipe, malignantClusterRecipe } from '../../../src/synth/lesions/clusterRecipes';
import { insertSpecks } from '../../../src/synth/lesions/insertSpecks';
import { localTissueNoise } from '../../../src/synth/lesions/localTissueNoise';
import { clusterTruth, speckReachMm, speckTruth } from '../../../src/synth/lesions/placeCluster';
import type { SpeckPlan } from '../../../src/synth/lesions/speckPlan';
import { speckShape } from '../../../src/synth/lesions/speckShapes';
import { SeededRandom } from '../../../src/synth/random';
import { insidePolygon } from '../../../src/geometry/polygon';

/** A flat breast of attenuation 2 with a fine random texture, all inside the mask. */
function tissue(width: number, height: number, spacingMm: number) {
  const image = createAttenuationImage(width, height, spacingMm);
  const random = new SeededRandom(9);
  for (let i = 0; i < image.attenuation.length; i++) {
    image.attenuation[i] = 2 + 0.01 * random.normal();
    image.breastMask[i] = 1;
  }
  return image;
}

const speck = (x: number, y: number, cnr: number, diameterMm = 0.25): SpeckPlan => ({
  type: 'punctate',
  x,
  y,
  diameterMm,
  lengthMm: diameterMm,
  angle: 0,
  cnr,
  shapeSeed: 1,
  clusterId: 1,
});

describe('ground-truth CNR: the speck in the image, neighbours included (LESIONS.md)', () => {
  it('a speck of a compact cluster records the CNR its centre has in the image, an isolated one its own; the drawn value stays as cnrAlone', () => {
    const spacingMm = 0.1;
    const image = tissue(120, 120, spacingMm);
    const before = image.attenuation.slice();
    // Centres on pixel centres, so each speck's own peak is its centre pixel. Three specks 0.2 mm
    // apart (a compact cluster, each drawn at CNR 2.5: below the target's 3), one far away.
    const plans = [speck(30.5, 30.5, 2.5), speck(32.5, 30.5, 2.5), speck(31.5, 32.5, 2.5), speck(90.5, 90.5, 2.5)];
    const psfSigmaPx = 1;
    const noises = plans.map((p) => localTissueNoise(image, p.x, p.y, DEFAULT_DETECTOR));
    const inserted = insertSpecks(image, plans, psfSigmaPx, DEFAULT_DETECTOR);
    expect(inserted).toHaveLength(4);
    inserted.forEach((s, i) => {
      const centre = Math.floor(s.plan.y) * image.width + Math.floor(s.plan.x);
      // The final signal (all specks inserted and blurred, before noise and quantisation) at the centre over the generator's noise.
      const inImage = (image.attenuation[centre] - before[centre]) / noises[i];
      expect(s.noise).toBe(noises[i]);
      expect(s.cnr).toBeCloseTo(inImage, 3);
      const truth = speckTruth(s, spacingMm);
      expect(truth.cnr).toBeCloseTo(inImage, 2);
      expect(truth.cnrAlone).toBe(2.5);
    });
    // The clustered specks get well over a fifth more from their neighbours and cross CNR 3; the lone one does not.
    for (const s of inserted.slice(0, 3)) expect(s.cnr).toBeGreaterThan(3);
    expect(inserted[3].cnr).toBeCloseTo(2.5, 3);
    expect(speckTruth(inserted[3], spacingMm).cnr).toBe(2.5);
  });
});

describe('cluster truth region: each speck by its own drawn extent', () => {
  it('every form reaches no farther than speckReachMm, and round forms reach only their radius', () => {
    const random = new SeededRandom(21);
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const recipe = [benignClusterRecipe, malignantClusterRecipe, benignLargeFormRecipe][i % 3](random.fork(i));
      for (const spec of recipe.specks.slice(0, 4)) {
        const plan: SpeckPlan = { ...spec, x: 0, y: 0, angle: 0, shapeSeed: Math.floor(random.next() * 2 ** 31), clusterId: 1 };
        const shape = speckShape(plan);
        const reach = speckReachMm(plan);
        // renderSpeck draws the shape within 1.1 × extentMm; sample there, on a grid fine for the form.
        const drawn = 1.1 * shape.extentMm;
        const step = Math.min(plan.diameterMm / 12, drawn / 60);
        let farthest = 0;
        for (let u = -drawn; u <= drawn; u += step)
          for (let v = -drawn; v <= drawn; v += step)
            if (u * u + v * v <= drawn * drawn && shape.thickness(u, v) > (plan.type === 'amorphous' ? 0.02 : 0)) farthest = Math.max(farthest, Math.hypot(u, v));
        expect(farthest).toBeLessThanOrEqual(reach + 0.01 * reach + 1e-9);
        // Tight: within 0.8 of the width (0.1 mm for the finest) of the calcium; a vessel's patchy
        // calcium may stop short of its ends.
        if (plan.type !== 'vascular') expect(reach - farthest).toBeLessThan(Math.max(0.8 * plan.diameterMm, 0.1));
        seen.add(plan.type);
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(9);
    for (const type of ['punctate', 'rim'] as const) {
      for (const diameterMm of [0.3, 1, 4]) expect(speckReachMm({ ...speck(0, 0, 5, diameterMm), type })).toBeCloseTo(diameterMm / 2, 9);
    }
  });

  it('the outline of a group of 4 mm rims lies within the margin of their shells, not a radius beyond', () => {
    const spacingMm = 0.1;
    // Two eggshells 4 mm across, 8 mm apart (centre to centre), on a row.
    const rims: SpeckPlan[] = [
      { ...speck(100, 100, 8, 4), type: 'rim', shapeSeed: 3 },
      { ...speck(180, 100, 8, 4), type: 'rim', shapeSeed: 4 },
    ];
    const recipe = { pathology: 'benign' as const, morphology: 'rim' as const, distribution: 'grouped' as const, specks: rims, atypical: false };
    const { outline } = clusterTruth(recipe, 1, rims, spacingMm);
    // The shells (2 mm from each centre) are inside; 2.5 mm from a centre, away from the other rim, is outside (0.25 mm margin).
    for (const theta of [0, Math.PI / 3, Math.PI / 2, -Math.PI / 2]) {
      expect(insidePolygon({ x: 180 + 19.9 * Math.cos(theta), y: 100 + 19.9 * Math.sin(theta) }, outline)).toBe(true);
      expect(insidePolygon({ x: 180 + 25 * Math.cos(theta), y: 100 + 25 * Math.sin(theta) }, outline)).toBe(false);
    }
    expect(insidePolygon({ x: 100 - 25, y: 100 }, outline)).toBe(false);
    const xs = outline.map((p) => p.x);
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan((8 + 4 + 2 * 0.3) / spacingMm);
  });
});
