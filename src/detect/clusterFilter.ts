import fs from 'node:fs';
import { checkFeatureModel, logisticProbability, type LogisticModelFile } from '../classify/logisticModel';
import { CLUSTER_FILTER_FEATURE_NAMES, type ClusterFilterFeatures } from './clusterFilterFeatures';

/**
 * The cluster false-positive reducer (models/mammocad-calc-cluster-filter.json): a logistic
 * regression on the standardised candidate-cluster features of clusterFilterFeatures.ts, trained on
 * synthetic studies (`npm run train:cluster-filter`). Its probability that a candidate is a true
 * cluster is the reported detection score; candidates below the configured floor are dropped.
 * The file layout is logisticModel.ts's (the malignancy classifier's up to 0.3.6); platt is identity unless fitted.
 */
export type ClusterFilterModelFile = LogisticModelFile;

export function clusterFilterVector(f: ClusterFilterFeatures): number[] {
  return CLUSTER_FILTER_FEATURE_NAMES.map((name) => f[name]);
}

/** P(true cluster) for one candidate's features. */
export function clusterFilterProbability(model: ClusterFilterModelFile, f: ClusterFilterFeatures): number {
  return logisticProbability(model, clusterFilterVector(f));
}

export function checkClusterFilterModel(model: ClusterFilterModelFile): ClusterFilterModelFile {
  return checkFeatureModel(model, CLUSTER_FILTER_FEATURE_NAMES, 'cluster filter');
}

export function loadClusterFilterModel(file: string): ClusterFilterModelFile {
  return checkClusterFilterModel(JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterFilterModelFile);
}
