/**
 * An additive model of boosted stumps (gradient boosting with one split per tree), the file layout
 * of models/mammocad-calc-classifier.json since 0.3.7. Each stump looks at one feature, so the
 * log-odds are a sum of one step function per feature: the model can learn that a measure matters
 * only beyond some value (a logistic regression cannot), and each feature's share of the score is
 * still exact, which the report's explanation needs.
 */
export interface Stump {
  /** Index into the file's feature list. */
  feature: number;
  /** A value at or below it takes `below`, above it `above` (log-odds, learning rate applied). */
  threshold: number;
  below: number;
  above: number;
}

export interface BoostedStumpsFile {
  kind: 'boosted-stumps';
  version: string;
  features: string[];
  /** Log-odds of a cluster whose every feature contributes its training mean. */
  bias: number;
  /** Each feature's mean contribution over the training rows: an explanation says how far this
   * cluster's feature moves the score from that of a typical training cluster. */
  references: number[];
  stumps: Stump[];
  /** Platt scaling p = σ(a·z + b) of the log-odds z, fitted on out-of-fold scores. */
  platt: { a: number; b: number };
  training: Record<string, unknown>;
}

/** Each feature's contribution to the (uncalibrated) log-odds, relative to its reference. */
export function featureContributions(model: Pick<BoostedStumpsFile, 'stumps' | 'references'>, x: number[]): number[] {
  const sums = model.references.map((r) => -r);
  for (const s of model.stumps) sums[s.feature] += x[s.feature] <= s.threshold ? s.below : s.above;
  return sums;
}

/** Uncalibrated log-odds: the bias plus every feature's contribution. */
export function additiveLogit(model: Pick<BoostedStumpsFile, 'bias' | 'stumps' | 'references'>, x: number[]): number {
  return featureContributions(model, x).reduce((z, c) => z + c, model.bias);
}

/** Throws unless the file is a boosted-stumps model over exactly these features, in this order. */
export function checkBoostedStumps(model: BoostedStumpsFile, names: readonly string[], what: string): BoostedStumpsFile {
  const same = model.features?.length === names.length && model.features.every((f, i) => f === names[i]);
  const stumpsValid = Array.isArray(model.stumps) && model.stumps.every((s) => Number.isInteger(s.feature) && s.feature >= 0 && s.feature < names.length);
  if (model.kind !== 'boosted-stumps' || !same || model.references?.length !== names.length || !stumpsValid) {
    throw new Error(`${what} model is not a boosted-stumps model over this code's features (${names.join(', ')})`);
  }
  return model;
}
