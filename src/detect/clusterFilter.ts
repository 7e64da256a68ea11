import fs from 'node:fs';
import { sigmoid, standardisedLogit, type LogisticModelFile } from '../classify/logisticModel';
import { CLUSTER_FILTER_FEATURE_NAMES, type ClusterFilterFeatures } from './clusterFilterFeatures';

/**
 * The cluster false-positive reducer (models/mammocad-calc-cluster-filter.json): a logistic
 * regression on the standardised candidate-cluster features of clusterFilterFeatures.ts, trained on
 * synthetic studies (`npm run train:cluster-filter`). Its probability that a candidate is a true
 * cluster is the reported detection score; candidates below the configured floor are dropped.
 * Same file layout as the malignancy classifier (logisticModel.ts); platt is identity unless fitted.
 */
export type ClusterFilterModelFile = LogisticModelFile;

export function clusterFilterVector(f: ClusterFilterFeatures): number[] {
  return CLUSTER_FILTER_FEATURE_NAMES.map((name) => f[name]);
}

/** P(true cluster) for one candidate's features. */
export function clusterFilterProbability(model: ClusterFilterModelFile, f: ClusterFilterFeatures): number {
  return sigmoid(model.platt.a * standardisedLogit(model, clusterFilterVector(f)) + model.platt.b);
}

export function checkClusterFilterModel(model: ClusterFilterModelFile): ClusterFilterModelFile {
  const n = CLUSTER_FILTER_FEATURE_NAMES.length;
  const same =
    model.features.length === n && model.features.every((f, i) => f === CLUSTER_FILTER_FEATURE_NAMES[i]);
  if (
    model.kind !== 'logistic-regression' ||
    !same ||
    [model.means, model.scales, model.weights].some((v) => v.length !== n)
  ) {
    throw new Error(
      `cluster filter model does not match this code's features (${CLUSTER_FILTER_FEATURE_NAMES.join(', ')})`,
    );
  }
  return model;
}

export function loadClusterFilterModel(file: string): ClusterFilterModelFile {
  return checkClusterFilterModel(JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterFilterModelFile);
}
