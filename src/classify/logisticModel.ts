/**
 * A logistic regression file (models/mammocad-calc-cluster-filter.json; the malignancy classifier up
 * to 0.3.6): weights on standardised features, then Platt scaling (p = σ(a·z + b) on the raw
 * log-odds z), identity unless fitted.
 */
export interface LogisticModelFile {
  kind: 'logistic-regression';
  version: string;
  features: string[];
  means: number[];
  scales: number[];
  weights: number[];
  bias: number;
  platt: { a: number; b: number };
  training: Record<string, unknown>;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Log-odds of a logistic model on standardised inputs (before calibration): b + Σ wᵢ (xᵢ − μᵢ) / sᵢ. */
export function standardisedLogit(model: Pick<LogisticModelFile, 'means' | 'scales' | 'weights' | 'bias'>, x: number[]): number {
  return x.reduce((z, v, i) => z + model.weights[i] * ((v - model.means[i]) / model.scales[i]), model.bias);
}

/** Calibrated probability of a logistic model file for a feature vector in the file's order. */
export function logisticProbability(model: LogisticModelFile, x: number[]): number {
  return sigmoid(model.platt.a * standardisedLogit(model, x) + model.platt.b);
}

/** Throws unless the file is a logistic regression over exactly these features, in this order. */
export function checkFeatureModel<T extends LogisticModelFile>(model: T, names: readonly string[], what: string): T {
  const n = names.length;
  const same = model.features.length === n && model.features.every((f, i) => f === names[i]);
  if (model.kind !== 'logistic-regression' || !same || [model.means, model.scales, model.weights].some((v) => v.length !== n)) {
    throw new Error(`${what} model does not match this code's features (${names.join(', ')})`);
  }
  return model;
}
