import { denseMap } from '../../../src/detect/centreMap';
import { extractSpecks } from '../../../src/detect/extractSpecks';

function blank(width: number, height: number) {
  return { heat: new Float32Array(width * height), pixels: new Float32Array(width * height).fill(0.4) };
}

describe('extractSpecks', () => {
  it('reduces each 8-connected blob above threshold to one speck with centre, size, contrast and score', () => {
    const w = 40;
    const h = 30;
    const { heat, pixels } = blank(w, h);
    // A 3x3 blob centred at (10, 8) and a diagonal pair (8-connected) at (30,20)-(31,21).
    for (let y = 7; y <= 9; y++) for (let x = 9; x <= 11; x++) {
      heat[y * w + x] = x === 10 && y === 8 ? 0.95 : 0.7;
      pixels[y * w + x] = 0.6;
    }
    heat[20 * w + 30] = 0.8;
    heat[21 * w + 31] = 0.6;
    const specks = extractSpecks(heat, pixels, null, w, h, { threshold: 0.5, spacingMm: 0.07 });
    expect(specks).toHaveLength(2);
    const [a, b] = specks;
    expect(a.x).toBeCloseTo(10.5, 5);
    expect(a.y).toBeCloseTo(8.5, 5);
    expect(a.areaPx).toBe(9);
    expect(a.score).toBeCloseTo(0.95, 5);
    expect(a.diameterMm).toBeCloseTo(2 * Math.sqrt(9 / Math.PI) * 0.07, 6);
    expect(a.contrast).toBeCloseTo(0.2, 5);
    expect(a.elongation).toBeCloseTo(1, 5);
    expect(b.areaPx).toBe(2);
    expect(b.x).toBeCloseTo((30 * 0.8 + 31 * 0.6) / 1.4 + 0.5, 5);
    expect(a.component).not.toBe(b.component);
  });

  it('ignores pixels outside the breast mask and components above the size limit', () => {
    const w = 20;
    const h = 20;
    const { heat, pixels } = blank(w, h);
    heat[5 * w + 5] = 0.9;
    const mask = new Uint8Array(w * h);
    expect(extractSpecks(heat, pixels, mask, w, h, { threshold: 0.5, spacingMm: 0.07 })).toHaveLength(0);
    heat.fill(0.9);
    expect(extractSpecks(heat, pixels, null, w, h, { threshold: 0.5, spacingMm: 0.07, maxDiameterMm: 1 })).toHaveLength(0);
  });

  it('measures elongation and orientation of a line', () => {
    const w = 30;
    const h = 30;
    const { heat, pixels } = blank(w, h);
    for (let x = 5; x <= 20; x++) heat[10 * w + x] = 0.9;
    const [line] = extractSpecks(heat, pixels, null, w, h, { threshold: 0.5, spacingMm: 0.07 });
    expect(line.elongation).toBeGreaterThan(10);
    expect(Math.abs(line.orientation)).toBeLessThan(1e-6);
  });

  it('splits touching specks at heatmap peaks more than the split radius apart; a plateau stays one speck', () => {
    const w = 40;
    const h = 20;
    const { heat, pixels } = blank(w, h);
    // Two round peaks 6 px apart whose shoulders touch above the threshold.
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const peak = (cx: number) => Math.exp(-((x - cx) ** 2 + (y - 10) ** 2) / 18);
        heat[y * w + x] = Math.max(peak(15), 0.98 * peak(21));
      }
    const opts = { threshold: 0.5, spacingMm: 0.07 };
    expect(extractSpecks(heat, pixels, null, w, h, opts)).toHaveLength(1);
    const split = extractSpecks(heat, pixels, null, w, h, { ...opts, splitRadiusMm: 0.21 });
    expect(split).toHaveLength(2);
    expect(split.map((s) => Math.round(s.x - 0.5)).sort((a, b) => a - b)).toEqual([15, 21]);
    expect(split[0].score).not.toBeCloseTo(split[1].score, 3);
    // Both halves remember the one heatmap component they came from.
    expect(split[0].component).toBe(split[1].component);
    // The heatmap dips from 0.98 (log-odds 3.9) to about 0.61 (0.45) between them: a required dip
    // of 3 log-odds keeps them apart, 4 merges them.
    expect(extractSpecks(heat, pixels, null, w, h, { ...opts, splitRadiusMm: 0.21, splitMinDipLogit: 3 })).toHaveLength(2);
    expect(extractSpecks(heat, pixels, null, w, h, { ...opts, splitRadiusMm: 0.21, splitMinDipLogit: 4 })).toHaveLength(1);
    // Peaks closer than the radius (3 px at 0.07 mm) stay one speck.
    expect(extractSpecks(heat, pixels, null, w, h, { ...opts, splitRadiusMm: 0.49 })).toHaveLength(1);
    // A flat plateau has no separate peaks.
    heat.fill(0);
    for (let y = 5; y <= 14; y++) for (let x = 5; x <= 30; x++) heat[y * w + x] = 1;
    expect(extractSpecks(heat, pixels, null, w, h, { ...opts, splitRadiusMm: 0.21 })).toHaveLength(1);
  });

  it("splits at the detector's speck-centre map when told to, only at centre peaks above the floor", () => {
    const w = 40;
    const h = 20;
    const { heat, pixels } = blank(w, h);
    const centres = new Float32Array(w * h);
    // One flat footprint (the heatmap cannot split it) holding two speck centres 8 px apart, and a
    // weak third bump.
    for (let y = 6; y <= 14; y++) for (let x = 8; x <= 32; x++) heat[y * w + x] = 0.95;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const bump = (cx: number, a: number) => a * Math.exp(-((x - cx) ** 2 + (y - 10) ** 2) / 2);
        centres[y * w + x] = Math.max(bump(12, 0.9), bump(20, 0.7), bump(28, 0.2));
      }
    const opts = { threshold: 0.5, spacingMm: 0.07, splitRadiusMm: 0.14 };
    expect(extractSpecks(heat, pixels, null, w, h, opts)).toHaveLength(1);
    const split = extractSpecks(heat, pixels, null, w, h, { ...opts, splitSignal: 'centres', splitMinPeak: 0.5 }, denseMap(centres));
    // Each footprint pixel goes to its nearest centre: columns 8-16 and 17-32.
    expect(split.map((s) => s.x - 0.5).sort((a, b) => a - b)).toEqual([12, 24.5]);
    expect(new Set(split.map((s) => s.component)).size).toBe(1);
    expect(extractSpecks(heat, pixels, null, w, h, { ...opts, splitSignal: 'centres', splitMinPeak: 0.1 }, denseMap(centres))).toHaveLength(3);
    expect(() => extractSpecks(heat, pixels, null, w, h, { ...opts, splitSignal: 'centres' })).toThrow(/centres/);
    // With splitting off, a detector without the map is fine whatever the signal setting says.
    expect(extractSpecks(heat, pixels, null, w, h, { ...opts, splitRadiusMm: 0, splitSignal: 'centres' })).toHaveLength(1);
    // The footprint is 9 x 25 px, 1.18 mm across as a disc: a larger minimum keeps it whole.
    const centreSplit = { ...opts, splitSignal: 'centres' as const, splitMinPeak: 0.5 };
    expect(extractSpecks(heat, pixels, null, w, h, { ...centreSplit, splitMinDiameterMm: 1.1 }, denseMap(centres))).toHaveLength(2);
    expect(extractSpecks(heat, pixels, null, w, h, { ...centreSplit, splitMinDiameterMm: 1.2 }, denseMap(centres))).toHaveLength(1);
  });

  it('drops a component above the size limit before splitting it', () => {
    const w = 60;
    const h = 60;
    const { heat, pixels } = blank(w, h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) heat[y * w + x] = 0.9 + 0.05 * Math.sin(x / 2) * Math.sin(y / 2);
    expect(extractSpecks(heat, pixels, null, w, h, { threshold: 0.5, spacingMm: 0.07, maxDiameterMm: 1, splitRadiusMm: 0.21 })).toHaveLength(0);
  });
});

describe('extractSpecks with a join threshold', () => {
  it('adds the components between the join threshold and the threshold as joiners, with labels of their own', () => {
    const w = 40;
    const h = 20;
    const { heat, pixels } = blank(w, h);
    heat[5 * w + 5] = 0.9; // a speck
    heat[5 * w + 6] = 0.75; // its shoulder: part of the speck's low component, not a joiner
    heat[5 * w + 20] = 0.75; // a joiner
    heat[5 * w + 30] = 0.6; // below both
    const options = { threshold: 0.8, spacingMm: 0.07 };
    expect(extractSpecks(heat, pixels, null, w, h, { ...options, joinThreshold: 0.8 })).toEqual(extractSpecks(heat, pixels, null, w, h, options));
    const specks = extractSpecks(heat, pixels, null, w, h, { ...options, joinThreshold: 0.7 });
    expect(specks.map((s) => [Math.floor(s.x), s.joiner ?? false])).toEqual([
      [5, false],
      [20, true],
    ]);
    expect(specks[1].score).toBeCloseTo(0.75, 5);
    expect(specks[1].component).not.toBe(specks[0].component);
  });
});
