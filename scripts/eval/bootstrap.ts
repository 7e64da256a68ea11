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
import { rocAuc, sensitivitySpecificity } from './rocAuc';

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

/** The findings of the units of one draw, pooled. */
function drawnFindings(units: RocUnit[], draw: number[]): RocUnit {
  return { scores: draw.flatMap((u) => units[u].scores), positive: draw.flatMap((u) => units[u].positive) };
}

/** The AUC over the pooled findings of the units of one draw (NaN when it holds one class only). */
export function drawnAuc(units: RocUnit[], draw: number[]): number {
  const { scores, positive } = drawnFindings(units, draw);
  return rocAuc(scores, positive);
}

/**
 * 95 % intervals over the units' pooled findings of the AUC and of the sensitivity and specificity
 * when scores at or above `threshold` are called positive (replicates with an empty class left out).
 */
export function rocIntervals(
  units: RocUnit[],
  threshold: number,
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): { auc: Interval | null; sensitivity: Interval | null; specificity: Interval | null } {
  const replicates = bootstrapReplicates(
    units.length,
    (draw) => {
      const { scores, positive } = drawnFindings(units, draw);
      const { sensitivity, specificity } = sensitivitySpecificity(scores, positive, threshold);
      return [rocAuc(scores, positive), sensitivity, specificity];
    },
    options,
  );
  const [auc, sensitivity, specificity] = [0, 1, 2].map((i) =>
    percentileInterval(replicates.map((v) => v[i])),
  );
  return { auc, sensitivity, specificity };
}

export interface PairedDifference {
  a: number;
  b: number;
  /** b − a on all units. */
  difference: number;
  /** 95 % interval of b − a over the paired replicates. */
  interval: Interval | null;
}

/**
 * Two evaluations of the same units (index i is the same breast in both), resampled together: each
 * of `measure`'s values for B minus A, and the 95 % interval of that difference. Pairing removes the
 * spread that comes from which breasts are in the set, so it is far narrower than the difference of
 * two unpaired intervals.
 */
export function pairedDifference<U>(
  a: U[],
  b: U[],
  measure: (units: U[], draw: number[]) => number[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): PairedDifference[] {
  if (a.length !== b.length)
    throw new Error(`paired comparison needs the same units: ${a.length} against ${b.length}`);
  const all = a.map((_, i) => i);
  const pointA = measure(a, all);
  const pointB = measure(b, all);
  const replicates = bootstrapReplicates(
    a.length,
    (draw) => {
      const ma = measure(a, draw);
      const mb = measure(b, draw);
      return ma.map((v, i) => mb[i] - v);
    },
    options,
  );
  return pointA.map((v, i) => ({
    a: v,
    b: pointB[i],
    difference: pointB[i] - v,
    interval: percentileInterval(replicates.map((r) => r[i])),
  }));
}

/** pairedDifference of the FROC sensitivity at each rate, keyed by rate. */
export function pairedFrocDifference(
  a: FrocUnit[],
  b: FrocUnit[],
  rates: number[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Record<string, PairedDifference> {
  const d = pairedDifference(a, b, (units, draw) => drawnSensitivities(units, draw, rates), options);
  return Object.fromEntries(rates.map((r, i) => [String(r), d[i]]));
}

/** pairedDifference of the AUC: the same findings scored by two models (units[i] in a and b hold the same findings). */
export function pairedAucDifference(
  a: RocUnit[],
  b: RocUnit[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): PairedDifference {
  return pairedDifference(a, b, (units, draw) => [drawnAuc(units, draw)], options)[0];
}
