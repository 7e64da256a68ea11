import { sigmoid } from './logisticModel';

/**
 * L2-regularised logistic regression by full-batch gradient descent (Newton is not needed for ten
 * features) on standardised inputs. Deterministic: no random initialisation.
 */
export function fitLogistic(
  x: number[][],
  y: number[],
  options: { l2?: number; iterations?: number; learningRate?: number } = {},
): { means: number[]; scales: number[]; weights: number[]; bias: number } {
  const { l2 = 1e-3, iterations = 3000, learningRate = 0.5 } = options;
  const d = x[0].length;
  const n = x.length;
  const means = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j], 0) / n);
  const scales = means.map((m, j) => Math.sqrt(x.reduce((s, r) => s + (r[j] - m) ** 2, 0) / n) || 1);
  const z = x.map((r) => r.map((v, j) => (v - means[j]) / scales[j]));
  const weights = new Array<number>(d).fill(0);
  let bias = 0;
  for (let it = 0; it < iterations; it++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      let t = bias;
      for (let j = 0; j < d; j++) t += weights[j] * z[i][j];
      const e = sigmoid(t) - y[i];
      gb += e;
      for (let j = 0; j < d; j++) gw[j] += e * z[i][j];
    }
    bias -= (learningRate * gb) / n;
    for (let j = 0; j < d; j++) weights[j] -= learningRate * (gw[j] / n + l2 * weights[j]);
  }
  return { means, scales, weights, bias };
}

/** Platt scaling: fits p = σ(a·s + b) to held-out scores s (log-odds) and labels. */
export function fitPlatt(scores: number[], y: number[], iterations = 2000, learningRate = 0.1): { a: number; b: number } {
  let a = 1;
  let b = 0;
  const n = scores.length;
  // Platt's smoothed targets keep a and b finite when the held-out set is separable.
  const pos = y.filter((v) => v === 1).length;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  const t = y.map((v) => (v === 1 ? hi : lo));
  for (let it = 0; it < iterations; it++) {
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const e = sigmoid(a * scores[i] + b) - t[i];
      ga += e * scores[i];
      gb += e;
    }
    a -= (learningRate * ga) / n;
    b -= (learningRate * gb) / n;
  }
  return { a, b };
}
