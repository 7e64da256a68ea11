import type { Stump } from './boostedStumps';
import { sigmoid } from './logisticModel';

export interface BoostingOptions {
  /** Number of stumps. */
  rounds?: number;
  /** Shrinkage of each stump's values. */
  learningRate?: number;
  /** Fewest training rows on either side of a split: no step is learnt from a handful of clusters. */
  minLeaf?: number;
  /** L2 penalty on the leaf values (Newton step −G / (H + λ)). */
  lambda?: number;
}

/**
 * Gradient boosting of stumps on the logistic loss (Friedman 2001, with Newton leaf values as in
 * XGBoost, Chen & Guestrin 2016): each round fits the one split of one feature that most reduces the
 * loss's second-order approximation. Deterministic: every split of every feature is scored, ties keep
 * the first. Returns the stumps, each feature's mean contribution over the training rows (its
 * reference) and the bias of the model file: the base log-odds (the training prevalence) plus every
 * reference, so that bias + Σ (contribution − reference) is the boosted log-odds.
 */
export function fitBoostedStumps(
  x: number[][],
  y: number[],
  options: BoostingOptions = {},
): { bias: number; stumps: Stump[]; references: number[] } {
  const { rounds = 100, learningRate = 0.05, minLeaf = 10, lambda = 1 } = options;
  const n = x.length;
  const d = x[0].length;
  const positives = y.reduce((s, v) => s + v, 0);
  if (positives === 0 || positives === n) throw new Error('boosting needs both classes in the training rows');
  const base = Math.log(positives / (n - positives));
  // Each feature's row order, sorted once: a round then scans every split in one pass per feature.
  const order = Array.from({ length: d }, (_, j) => Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a][j] - x[b][j]));
  const logit = new Float64Array(n).fill(base);
  const stumps: Stump[] = [];
  for (let round = 0; round < rounds; round++) {
    const g = new Float64Array(n);
    const h = new Float64Array(n);
    let G = 0;
    let H = 0;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(logit[i]);
      g[i] = p - y[i];
      h[i] = Math.max(p * (1 - p), 1e-9);
      G += g[i];
      H += h[i];
    }
    const parent = (G * G) / (H + lambda);
    let best: { gain: number; stump: Stump } | null = null;
    for (let j = 0; j < d; j++) {
      const rows = order[j];
      let gl = 0;
      let hl = 0;
      for (let k = 0; k < n - 1; k++) {
        gl += g[rows[k]];
        hl += h[rows[k]];
        const here = x[rows[k]][j];
        const next = x[rows[k + 1]][j];
        if (k + 1 < minLeaf || n - k - 1 < minLeaf || here === next) continue;
        const gr = G - gl;
        const hr = H - hl;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
        if (gain > (best?.gain ?? 0)) {
          best = {
            gain,
            stump: {
              feature: j,
              threshold: (here + next) / 2,
              below: (-learningRate * gl) / (hl + lambda),
              above: (-learningRate * gr) / (hr + lambda),
            },
          };
        }
      }
    }
    if (!best) break;
    const s = best.stump;
    stumps.push(s);
    for (let i = 0; i < n; i++) logit[i] += x[i][s.feature] <= s.threshold ? s.below : s.above;
  }
  const references = new Array<number>(d).fill(0);
  for (const row of x) for (const s of stumps) references[s.feature] += (row[s.feature] <= s.threshold ? s.below : s.above) / n;
  return { bias: base + references.reduce((sum, r) => sum + r, 0), stumps, references };
}
