import { SeededRandom } from '../../../src/synth/random';
import {
  benignClusterRecipe,
  benignLargeFormRecipe,
  malignantClusterRecipe,
  MALIGNANT_MORPHOLOGY_MIX,
  SIZE_RANGE_MM,
  sizeVariation,
} from '../../../src/synth/lesions/clusterRecipes';
import { drawClusterKind, recipeFor } from '../../../src/synth/lesions/lesionSet';
import { layoutCluster } from '../../../src/synth/lesions/clusterLayouts';
import { renderSpeck } from '../../../src/synth/lesions/renderSpeck';
import { speckTruth } from '../../../src/synth/lesions/placeCluster';
import { insidePolygon } from '../../../src/geometry/polygon';
import { clusterOutline } from '../../../src/synth/lesions/clusterOutline';

describe('cluster recipes', () => {
  it('benign punctate and round clusters hold 3-10 uniform specks', () => {
    const random = new SeededRandom(1);
    let uniform = 0;
    for (let i = 0; i < 400; i++) {
      const recipe = benignClusterRecipe(random);
      expect(recipe.pathology).toBe('benign');
      if (recipe.morphology !== 'punctate' && recipe.morphology !== 'round') continue;
      uniform++;
      expect(recipe.specks.length).toBeGreaterThanOrEqual(3);
      expect(recipe.specks.length).toBeLessThanOrEqual(10);
      for (const speck of recipe.specks) expect(['punctate', 'round']).toContain(speck.type);
      expect(sizeVariation(recipe.specks)).toBeLessThan(0.3);
    }
    expect(uniform).toBeGreaterThan(80);
  });

  it('gives each morphology and layout the malignant share of LESIONS.md at the kind mix images use', () => {
    const random = new SeededRandom(7);
    const tally = new Map<string, { malignant: number; all: number }>();
    const count = (key: string, malignant: boolean): void => {
      const entry = tally.get(key) ?? { malignant: 0, all: 0 };
      entry.all++;
      if (malignant) entry.malignant++;
      tally.set(key, entry);
    };
    for (let i = 0; i < 20000; i++) {
      const kind = drawClusterKind(random);
      if (kind === 'benignLarge') continue;
      const recipe = recipeFor(kind, random.fork(i));
      const morphology = recipe.morphology.startsWith('fineLinear') ? 'fineLinear' : recipe.morphology;
      count(morphology, recipe.pathology === 'malignant');
      count(recipe.distribution, recipe.pathology === 'malignant');
    }
    const share = (key: string): number => tally.get(key)!.malignant / tally.get(key)!.all;
    // LESIONS.md: fine linear 81-86 %, fine pleomorphic about 53 %, amorphous 7-15 %, coarse
    // heterogeneous 7-20 %, punctate and round mostly benign; segmental about 74 %, linear about 68 %.
    expect(share('fineLinear')).toBeGreaterThan(0.81);
    expect(share('fineLinear')).toBeLessThan(0.86);
    expect(share('finePleomorphic')).toBeGreaterThan(0.48);
    expect(share('finePleomorphic')).toBeLessThan(0.58);
    expect(share('amorphous')).toBeGreaterThan(0.07);
    expect(share('amorphous')).toBeLessThan(0.15);
    expect(share('coarseHeterogeneous')).toBeGreaterThan(0.07);
    expect(share('coarseHeterogeneous')).toBeLessThan(0.2);
    expect(share('punctate')).toBeLessThan(0.1);
    expect(share('round')).toBeLessThan(0.1);
    expect(share('segmental')).toBeGreaterThan(0.69);
    expect(share('segmental')).toBeLessThan(0.79);
    expect(share('linear')).toBeGreaterThan(0.63);
    expect(share('linear')).toBeLessThan(0.73);
    expect(share('regional')).toBe(0);
  });

  it('derives the malignant morphology mix so that it sums to one', () => {
    const total = Object.values(MALIGNANT_MORPHOLOGY_MIX).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 12);
    expect(MALIGNANT_MORPHOLOGY_MIX.fineLinear).toBeGreaterThan(MALIGNANT_MORPHOLOGY_MIX.finePleomorphic);
  });

  it('malignant clusters hold 8-40 specks of varied size, most with size variation >= 0.4', () => {
    const random = new SeededRandom(2);
    let typical = 0;
    let varied = 0;
    for (let i = 0; i < 200; i++) {
      const recipe = malignantClusterRecipe(random);
      expect(recipe.pathology).toBe('malignant');
      if (recipe.atypical) continue;
      typical++;
      expect(recipe.specks.length).toBeGreaterThanOrEqual(8);
      expect(recipe.specks.length).toBeLessThanOrEqual(40);
      if (sizeVariation(recipe.specks) >= 0.4) varied++;
    }
    expect(typical).toBeGreaterThan(140);
    expect(varied / typical).toBeGreaterThan(0.95);
  });

  it('keeps every speck size inside its form range and CNR in 1.5-12', () => {
    const random = new SeededRandom(3);
    for (let i = 0; i < 300; i++) {
      const recipe = [benignClusterRecipe, malignantClusterRecipe, benignLargeFormRecipe][i % 3](random);
      for (const speck of recipe.specks) {
        const range = SIZE_RANGE_MM[speck.type];
        expect(speck.diameterMm).toBeGreaterThanOrEqual(range.diameter[0] - 1e-9);
        expect(speck.diameterMm).toBeLessThanOrEqual(range.diameter[1] + 1e-9);
        expect(speck.lengthMm).toBeGreaterThanOrEqual(range.length[0] - 1e-9);
        expect(speck.lengthMm).toBeLessThanOrEqual(range.length[1] + 1e-9);
        expect(speck.cnr).toBeGreaterThanOrEqual(1.5);
        expect(speck.cnr).toBeLessThanOrEqual(12);
      }
    }
  });
});

describe('layouts', () => {
  it('orients linear layouts along the direction of the nipple', () => {
    const points = layoutCluster('linear', 30, 0, new SeededRandom(4));
    const spreadAlong = Math.max(...points.map((p) => p.dxMm)) - Math.min(...points.map((p) => p.dxMm));
    const spreadAcross = Math.max(...points.map((p) => p.dyMm)) - Math.min(...points.map((p) => p.dyMm));
    expect(spreadAlong).toBeGreaterThan(3 * spreadAcross);
  });

  it('puts the narrow end of a segmental wedge toward the nipple', () => {
    const points = layoutCluster('segmental', 400, 0, new SeededRandom(5));
    const nearNipple = points.filter((p) => p.dxMm > 0);
    const farFromNipple = points.filter((p) => p.dxMm < 0);
    const width = (ps: typeof points): number => Math.max(...ps.map((p) => p.dyMm)) - Math.min(...ps.map((p) => p.dyMm));
    expect(width(farFromNipple)).toBeGreaterThan(width(nearNipple));
  });
});

describe('speck rendering', () => {
  it('keeps the area of a sub-pixel speck by supersampling', () => {
    const plan = { type: 'punctate' as const, x: 10.3, y: 10.7, diameterMm: 0.1, lengthMm: 0.1, angle: 0, cnr: 3, shapeSeed: 1, clusterId: null };
    const raster = renderSpeck(plan, 0.07, 2, 8);
    const total = raster.coverage.reduce((a, b) => a + b, 0);
    // Volume of the projected sphere (2/3 of the disc area) in pixel units.
    const expected = ((2 / 3) * Math.PI * (0.05 / 0.07) ** 2);
    expect(total).toBeGreaterThan(expected * 0.85);
    expect(total).toBeLessThan(expected * 1.15);
  });

  it('draws a rim calcification brighter at its edge than at its centre', () => {
    const plan = { type: 'rim' as const, x: 40, y: 40, diameterMm: 4, lengthMm: 4, angle: 0, cnr: 5, shapeSeed: 3, clusterId: 1 };
    const raster = renderSpeck(plan, 0.07, 0, 2);
    const centre = raster.coverage[Math.floor(raster.height / 2) * raster.width + Math.floor(raster.width / 2)];
    const edgeRow = Math.floor(raster.height / 2) * raster.width;
    const edge = Math.max(...Array.from(raster.coverage.subarray(edgeRow, edgeRow + 8)));
    expect(edge).toBeGreaterThan(2 * centre);
  });
});

describe('ground truth skeletons', () => {
  /** Coverage of the rendered speck at an image point (0 off the raster). */
  const coverageAt = (raster: ReturnType<typeof renderSpeck>, p: { x: number; y: number }) => {
    const cx = Math.floor(p.x) - raster.x0;
    const cy = Math.floor(p.y) - raster.y0;
    return cx >= 0 && cy >= 0 && cx < raster.width && cy < raster.height ? raster.coverage[cy * raster.width + cx] : 0;
  };

  it('records where a form of several parts runs, on the drawn calcium, in image pixels; nothing for a single blob', () => {
    const spacingMm = 0.02; // fine grid: a centreline point must fall on the rod, not beside it
    const forms = [
      { type: 'fineLinear' as const, diameterMm: 0.2, lengthMm: 2.5, minOnCalcium: 1 },
      { type: 'fineLinearBranching' as const, diameterMm: 0.25, lengthMm: 2.8, minOnCalcium: 1 },
      // A vessel's calcium is patchy (broken into segments): most of each wall's line is on it.
      { type: 'vascular' as const, diameterMm: 1.2, lengthMm: 12, minOnCalcium: 0.5 },
      { type: 'rim' as const, diameterMm: 3, lengthMm: 3, minOnCalcium: 1 },
      { type: 'popcorn' as const, diameterMm: 4, lengthMm: 4, minOnCalcium: 1 },
      { type: 'coarseHeterogeneous' as const, diameterMm: 1.2, lengthMm: 1.2, minOnCalcium: 1 },
    ];
    const lineCount = { fineLinear: 1, fineLinearBranching: 2, vascular: 2, rim: 1 } as Record<string, number>;
    for (const form of forms) {
      for (const [seed, angle] of [[11, 0.3], [12, 2.2], [13, -1.1]]) {
        const plan = { ...form, x: 800.4, y: 700.6, angle, cnr: 6, shapeSeed: seed, clusterId: 1 };
        const truth = speckTruth({ plan, footprint: [], noise: 1, cnr: plan.cnr }, spacingMm);
        const raster = renderSpeck(plan, spacingMm, 0, 2);
        const skeleton = truth.skeleton ?? [];
        if (lineCount[form.type]) expect(skeleton).toHaveLength(lineCount[form.type]);
        else expect(skeleton.every((grain) => grain.length === 1) && skeleton.length >= 3).toBe(true);
        for (const line of skeleton) {
          const on = line.filter((p) => coverageAt(raster, p) > 0).length;
          expect(on / line.length).toBeGreaterThanOrEqual(form.minOnCalcium);
        }
        // A rod's line spans its length (vessel walls: the whole vessel; a branch: at least 40 %); a
        // rim's circle lies on its shell, about a radius from the centre.
        const spanMm = (line: { x: number; y: number }[]) => Math.hypot(line[0].x - line[line.length - 1].x, line[0].y - line[line.length - 1].y) * spacingMm;
        if (form.type !== 'rim' && lineCount[form.type]) for (const line of skeleton) expect(spanMm(line)).toBeGreaterThan(0.4 * (form.lengthMm - form.diameterMm));
        if (form.type === 'rim') for (const p of skeleton[0]) expect(Math.hypot(p.x - plan.x, p.y - plan.y) * spacingMm).toBeGreaterThan(0.4 * form.diameterMm);
      }
    }
    const dot = { type: 'punctate' as const, x: 5, y: 5, diameterMm: 0.3, lengthMm: 0.3, angle: 1, cnr: 4, shapeSeed: 1, clusterId: null };
    expect(speckTruth({ plan: dot, footprint: [], noise: 1, cnr: dot.cnr }, 0.07).skeleton).toBeUndefined();
    expect(speckTruth({ plan: { ...dot, type: 'round' as const, diameterMm: 0.8, lengthMm: 0.8 }, footprint: [], noise: 1, cnr: dot.cnr }, 0.07).skeleton).toBeUndefined();
  });
});

describe('cluster outline', () => {
  it('is closed and encloses every disc it was built from', () => {
    const discs = [
      { x: 10, y: 10, radiusPx: 3 },
      { x: 40, y: 12, radiusPx: 2 },
      { x: 25, y: 30, radiusPx: 5 },
    ];
    const outline = clusterOutline(discs);
    expect(outline[0]).toEqual(outline[outline.length - 1]);
    for (const d of discs) {
      for (let k = 0; k < 8; k++) {
        const theta = (k / 8) * 2 * Math.PI;
        expect(insidePolygon({ x: d.x + 0.99 * d.radiusPx * Math.cos(theta), y: d.y + 0.99 * d.radiusPx * Math.sin(theta) }, outline)).toBe(true);
      }
    }
  });
});
