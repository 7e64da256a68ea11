import {
  bootstrapReplicates,
  pairedAucDifference,
  drawnSensitivities,
  frocIntervals,
  pairedFrocDifference,
  percentileInterval,
  rocIntervals,
  type FrocUnit,
} from '../../../scripts/eval/bootstrap';

/** n breasts of one image and one true cluster each; the first `found` are hit by a mark, every breast has one false mark below them. */
function breasts(n: number, found: number, prefix = 'b'): FrocUnit[] {
  return Array.from({ length: n }, (_, i) => ({
    images: 1,
    targets: 1,
    marks: [...(i < found ? [{ score: 0.9, hits: [`${prefix}${i}#1`] }] : []), { score: 0.1, hits: [] }],
  }));
}

const options = { replicates: 2000, seed: 7 };

describe('percentile bootstrap over breasts (scripts/eval/bootstrap.ts)', () => {
  it('the percentile interval interpolates between order statistics and leaves out NaN (an empty class)', () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    const [lo, hi] = percentileInterval(values)!;
    expect(lo).toBeCloseTo(2.5, 10);
    expect(hi).toBeCloseTo(97.5, 10);
    expect(percentileInterval([NaN, 3, NaN, 1, 2], 0.5)).toEqual([1.5, 2.5]);
    expect(percentileInterval([NaN])).toBeNull();
  });

  it('a breast drawn twice counts its targets and its hits twice, so a set that finds everything stays at 1', () => {
    const units = breasts(3, 3);
    expect(drawnSensitivities(units, [0, 0, 0], [0.5, 2])).toEqual([1, 1]);
    // Breast 2 finds nothing (breasts(3, 2)): drawn twice with breast 0 it is 1 found of 3 targets.
    expect(drawnSensitivities(breasts(3, 2), [2, 2, 0], [2])).toEqual([1 / 3]);
    // The false marks are per image of the draw: 3 images, 3 false marks at 0.1, so 0.5 false per image keeps only the hits.
    expect(drawnSensitivities(breasts(3, 2), [0, 1, 2], [0.5, 1])).toEqual([2 / 3, 2 / 3]);
    expect(frocIntervals(units, [1], options)).toEqual({ '1': [1, 1] });
  });

  it('the interval holds the binomial spread: 18 of 30 found gives about ±0.17, and 100 times the breasts a tenth of it', () => {
    const small = frocIntervals(breasts(30, 18), [1], options)['1']!;
    expect(small[0]).toBeLessThan(0.6);
    expect(small[1]).toBeGreaterThan(0.6);
    // Wald's half-width 1.96·√(0.6·0.4/30) = 0.175.
    expect((small[1] - small[0]) / 2).toBeGreaterThan(0.14);
    expect((small[1] - small[0]) / 2).toBeLessThan(0.21);
    const large = frocIntervals(breasts(3000, 1800), [1], { replicates: 300, seed: 7 })['1']!;
    expect((large[1] - large[0]) / 2).toBeGreaterThan(0.014);
    expect((large[1] - large[0]) / 2).toBeLessThan(0.021);
  });

  it('the same seed gives the same draws, another seed others', () => {
    const stat = (draw: number[]) => [draw.reduce((a, b) => a + b, 0)];
    expect(bootstrapReplicates(10, stat, options)).toEqual(bootstrapReplicates(10, stat, options));
    expect(bootstrapReplicates(10, stat, options)).not.toEqual(
      bootstrapReplicates(10, stat, { ...options, seed: 8 }),
    );
  });

  it('AUC, sensitivity and specificity: perfectly separated breasts give [1, 1]; replicates that draw one class only are left out', () => {
    const units = [
      { scores: [0.9], positive: [true] },
      { scores: [0.2], positive: [false] },
      { scores: [0.8, 0.1], positive: [true, false] },
    ];
    expect(rocIntervals(units, 0.5, options)).toEqual({
      auc: [1, 1],
      sensitivity: [1, 1],
      specificity: [1, 1],
    });
    expect(rocIntervals([{ scores: [0.9], positive: [true] }], 0.5, options)).toEqual({
      auc: null,
      sensitivity: [1, 1],
      specificity: null,
    });
    const mixed = rocIntervals(
      [
        { scores: [0.9], positive: [true] },
        { scores: [0.8], positive: [false] },
        { scores: [0.7], positive: [true] },
        { scores: [0.1], positive: [false] },
      ],
      0.75,
      options,
    );
    expect(mixed.auc![0]).toBeLessThan(0.75);
    expect(mixed.auc![1]).toBe(1);
    // At 0.75 one of the two malignant breasts and one of the two benign ones are called positive.
    expect(mixed.sensitivity).toEqual([0, 1]);
    expect(mixed.specificity).toEqual([0, 1]);
  });

  it('paired: the same evaluation twice differs by exactly 0; one more cluster found in a few breasts is a gain', () => {
    const a = breasts(30, 18);
    expect(pairedFrocDifference(a, a, [1], options)['1']).toEqual({
      a: 0.6,
      b: 0.6,
      difference: 0,
      interval: [0, 0],
    });
    // The candidate finds the same 18 and 6 more: the paired interval excludes 0, where two unpaired intervals overlap.
    const b = breasts(30, 24);
    const d = pairedFrocDifference(a, b, [1], options)['1'];
    expect(d.difference).toBeCloseTo(0.2, 10);
    expect(d.interval![0]).toBeGreaterThan(0);
    const ia = frocIntervals(a, [1], options)['1']!;
    const ib = frocIntervals(b, [1], options)['1']!;
    expect(ib[0]).toBeLessThan(ia[1]);
    expect(() => pairedFrocDifference(a, breasts(29, 18), [1], options)).toThrow(/same units: 30 against 29/);
  });

  it('paired AUC: the same clusters scored alike differ by 0; a model that ranks every malignant one first gains', () => {
    // 20 breasts, one benign and one malignant cluster each; A's scores rank them by chance, B's perfectly.
    const positive = [true, false];
    const a = Array.from({ length: 20 }, (_, i) => ({
      scores: [(i * 7) % 10, (i * 3) % 10].map((v) => v / 10),
      positive,
    }));
    const b = a.map(() => ({ scores: [0.9, 0.1], positive }));
    expect(pairedAucDifference(a, a, options)).toMatchObject({ difference: 0, interval: [0, 0] });
    const d = pairedAucDifference(a, b, options);
    expect(d.b).toBe(1);
    expect(d.a).toBeLessThan(0.8);
    expect(d.interval![0]).toBeGreaterThan(0);
  });
});
