import { additiveLogit, checkBoostedStumps, featureContributions, type BoostedStumpsFile } from '../../../src/classify/boostedStumps';
import { sigmoid } from '../../../src/classify/logisticModel';
import { fitBoostedStumps } from '../../../src/classify/trainBoostedStumps';

/**
 * 400 rows, two features: malignant exactly when the first exceeds 2 (a step no straight line
 * fits), the second pure noise. A deterministic pseudo-random sequence keeps the data fixed.
 */
function stepData() {
  let state = 12345;
  const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const x = Array.from({ length: 400 }, () => [next() * 4, next()]);
  return { x, y: x.map(([a]) => (a > 2 ? 1 : 0)) };
}

const asFile = (fitted: ReturnType<typeof fitBoostedStumps>): BoostedStumpsFile => ({
  kind: 'boosted-stumps',
  version: 'test',
  features: ['step', 'noise'],
  ...fitted,
  platt: { a: 1, b: 0 },
  training: {},
});

describe('boosted stumps', () => {
  it('learns a step in one feature and ignores a noise feature', () => {
    const { x, y } = stepData();
    const fitted = fitBoostedStumps(x, y, { rounds: 50, learningRate: 0.3, minLeaf: 10 });
    expect(fitted.stumps.length).toBe(50);
    expect(fitted.stumps.every((s) => s.feature === 0)).toBe(true);
    expect(fitted.stumps[0].threshold).toBeCloseTo(2, 1);
    const model = asFile(fitted);
    expect(sigmoid(additiveLogit(model, [2.5, 0.5]))).toBeGreaterThan(0.95);
    expect(sigmoid(additiveLogit(model, [1.5, 0.5]))).toBeLessThan(0.05);
  });

  it('is deterministic and keeps at least minLeaf rows on each side of a split', () => {
    const { x, y } = stepData();
    const a = fitBoostedStumps(x, y, { rounds: 20, minLeaf: 150 });
    expect(fitBoostedStumps(x, y, { rounds: 20, minLeaf: 150 })).toEqual(a);
    for (const s of a.stumps) {
      const below = x.filter((r) => r[s.feature] <= s.threshold).length;
      expect(Math.min(below, x.length - below)).toBeGreaterThanOrEqual(150);
    }
  });

  it('splits the log-odds exactly into per-feature contributions that average zero over training', () => {
    const { x, y } = stepData();
    const model = asFile(fitBoostedStumps(x, y, { rounds: 30 }));
    const row = [3.1, 0.2];
    const parts = featureContributions(model, row);
    expect(model.bias + parts[0] + parts[1]).toBeCloseTo(additiveLogit(model, row), 12);
    const meanParts = [0, 1].map((j) => x.reduce((s, r) => s + featureContributions(model, r)[j], 0) / x.length);
    expect(meanParts[0]).toBeCloseTo(0, 10);
    expect(meanParts[1]).toBeCloseTo(0, 10);
  });

  it('refuses a file for other features or of another kind', () => {
    const { x, y } = stepData();
    const model = asFile(fitBoostedStumps(x, y, { rounds: 5 }));
    expect(checkBoostedStumps(model, ['step', 'noise'], 'test')).toBe(model);
    expect(() => checkBoostedStumps(model, ['noise', 'step'], 'test')).toThrow(/not a boosted-stumps model over this code's features \(noise, step\)/);
    expect(() => checkBoostedStumps({ ...model, kind: 'logistic-regression' } as unknown as BoostedStumpsFile, ['step', 'noise'], 'test')).toThrow(/boosted-stumps/);
    expect(() => checkBoostedStumps({ ...model, stumps: [{ feature: 2, threshold: 0, below: 0, above: 0 }] }, ['step', 'noise'], 'test')).toThrow();
  });

  it('refuses training rows of one class', () => {
    expect(() => fitBoostedStumps([[1], [2]], [1, 1])).toThrow(/both classes/);
  });
});
