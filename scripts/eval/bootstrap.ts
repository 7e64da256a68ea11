/**
 * Confidence intervals for the evaluation's measures by the percentile bootstrap over breasts: the
 * breasts are drawn with replacement as many times as there are, and each measure is computed again
 * on every draw (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13). A breast, not
 * an image, is the unit because its views show the same lesions in the same tissue; resampling cases
 * rather than marks is how FROC curves of mammography CAD are compared (Bornefalk & Hermansson, Phys.
 * Med. Biol. 50, 2005; Samuelson & Petrick, 2006). With the few clusters of a check set (7 on
 * mini-MIAS, 30 on the synthetic hold-out) the intervals are wide: a difference of one or two
 * clusters between two models is usually inside them.
 */
import { SeededRandom } from '../../src/synth/random';
import { frocCurve, sensitivityAt, type ScoredMark } from './froc';
import { rocAuc } from './rocAuc';

/** One resampling unit's part of a FROC: its images, its targets and its marks (hit ids unique in the whole set). */
export interface FrocUnit {
  images: number;
  targets: number;
  marks: ScoredMark[];
}

/** One resampling unit's scored findings for an AUC. */
export interface RocUnit {
  scores: number[];
  positive: boolean[];
}

export type Interval = [number, number];

export interface BootstrapOptions {
  replicates: number;
  seed: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { replicates: 2000, seed: 1 };

/**
 * Each replicate's draw (unit indices, with replacement), passed to `statistic`; returns every
 * replicate's values. The same seed gives the same draws, so two evaluations of the same units
 * resampled with one seed are paired.
 */
export function bootstrapReplicates(
  unitCount: number,
  statistic: (draw: number[]) => number[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): number[][] {
  const random = new SeededRandom(options.seed);
  const replicates: number[][] = [];
  for (let r = 0; r < options.replicates; r++) {
    const draw = Array.from({ length: unitCount }, () => Math.floor(random.next() * unitCount));
    replicates.push(statistic(draw));
  }
  return replicates;
}

/** The central 95 % of the values (linear interpolation between order statistics); NaN values (an empty class) are left out. */
export function percentileInterval(values: number[], level = 0.95): Interval | null {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const at = (q: number) => {
    const i = q * (sorted.length - 1);
    const lo = Math.floor(i);
    return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (i - lo);
  };
  return [at((1 - level) / 2), at(1 - (1 - level) / 2)];
}

/** The FROC sensitivity at each rate for the units of one draw. A unit drawn twice counts twice: its hit ids get the draw position. */
export function drawnSensitivities(units: FrocUnit[], draw: number[], rates: number[]): number[] {
  let images = 0;
  let targets = 0;
  const marks: ScoredMark[] = [];
  draw.forEach((u, k) => {
    images += units[u].images;
    targets += units[u].targets;
    for (const m of units[u].marks) marks.push({ score: m.score, hits: m.hits.map((h) => `${k}:${h}`) });
  });
  const curve = frocCurve(marks, targets, images);
  return rates.map((r) => sensitivityAt(curve, r).sensitivity);
}

/** 95 % intervals of the FROC sensitivity at each rate, keyed as the report's point values are. */
export function frocIntervals(
  units: FrocUnit[],
  rates: number[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Record<string, Interval | null> {
  const replicates = bootstrapReplicates(
    units.length,
    (draw) => drawnSensitivities(units, draw, rates),
    options,
  );
  return Object.fromEntries(
    rates.map((r, i) => [String(r), percentileInterval(replicates.map((v) => v[i]))]),
  );
}

/** 95 % interval of the AUC over the units' pooled findings (replicates with an empty class left out). */
export function aucInterval(
  units: RocUnit[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Interval | null {
  const replicates = bootstrapReplicates(
    units.length,
    (draw) => {
      const scores = draw.flatMap((u) => units[u].scores);
      const positive = draw.flatMap((u) => units[u].positive);
      return [rocAuc(scores, positive)];
    },
    options,
  );
  return percentileInterval(replicates.map((v) => v[0]));
}

/**
 * Two evaluations of the same units (index i is the same breast in both), resampled together: for
 * each rate, B's sensitivity minus A's and the 95 % interval of that difference. Pairing removes
 * the spread that comes from which breasts are in the set, so it is far narrower than the
 * difference of two unpaired intervals.
 */
export function pairedFrocDifference(
  a: FrocUnit[],
  b: FrocUnit[],
  rates: number[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Record<string, { a: number; b: number; difference: number; interval: Interval | null }> {
  if (a.length !== b.length)
    throw new Error(`paired comparison needs the same units: ${a.length} against ${b.length}`);
  const all = a.map((_, i) => i);
  const pointA = drawnSensitivities(a, all, rates);
  const pointB = drawnSensitivities(b, all, rates);
  const replicates = bootstrapReplicates(
    a.length,
    (draw) => {
      const sa = drawnSensitivities(a, draw, rates);
      const sb = drawnSensitivities(b, draw, rates);
      return rates.map((_, i) => sb[i] - sa[i]);
    },
    options,
  );
  return Object.fromEntries(
    rates.map((r, i) => [
      String(r),
      {
        a: pointA[i],
        b: pointB[i],
        difference: pointB[i] - pointA[i],
        interval: percentileInterval(replicates.map((v) => v[i])),
      },
    ]),
  );
}
