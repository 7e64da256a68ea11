import fs from 'node:fs';
import { checkRegionEntry, type RegionModelEntry } from '../classify/clusterRegion';
import { checkFeatureModel, logisticProbability, sigmoid, standardisedLogit, type LogisticModelFile } from '../classify/logisticModel';
import { CLUSTER_FILTER_FEATURE_NAMES, type ClusterFilterFeatures } from './clusterFilterFeatures';
import type { CandidateRule } from './detectionParameters';

/**
 * The cluster false-positive reducer (models/mammocad-calc-cluster-filter.json): a logistic
 * regression on the standardised candidate-cluster features of clusterFilterFeatures.ts, trained on
 * synthetic studies (`npm run train:cluster-filter`). Its probability that a candidate is a true
 * cluster is the reported detection score; candidates below the configured floor are dropped.
 * The file layout is logisticModel.ts's (the malignancy classifier's up to 0.3.6); platt is identity unless fitted.
 * A "region" entry blends in the presence CNN's logit for the window around the candidate.
 */
export type ClusterFilterModelFile = LogisticModelFile & { region?: RegionModelEntry };

/** A reducer as one image uses it: candidates of its rule (at least minSpecks specks from at least
 * minComponents heatmap components), reported from floor up. */
export interface ClusterReducer extends CandidateRule {
  model: ClusterFilterModelFile;
  floor: number;
}

export function clusterFilterVector(f: ClusterFilterFeatures): number[] {
  return CLUSTER_FILTER_FEATURE_NAMES.map((name) => f[name]);
}

/** P(true cluster) for one candidate's features and, when the model has a region CNN, its logit. */
export function clusterFilterProbability(model: ClusterFilterModelFile, f: ClusterFilterFeatures, presenceLogit?: number): number {
  const x = clusterFilterVector(f);
  if (!model.region) return logisticProbability(model, x);
  if (presenceLogit === undefined) throw new Error(`the cluster filter needs the presence CNN's logit (${model.region.file})`);
  const z = model.platt.a * standardisedLogit(model, x) + model.platt.b;
  return sigmoid((1 - model.region.weight) * z + model.region.weight * presenceLogit);
}

export function checkClusterFilterModel(model: ClusterFilterModelFile): ClusterFilterModelFile {
  checkFeatureModel(model, CLUSTER_FILTER_FEATURE_NAMES, 'cluster filter');
  if (model.region) checkRegionEntry(model.region, 'cluster filter model');
  return model;
}

export function loadClusterFilterModel(file: string): ClusterFilterModelFile {
  return checkClusterFilterModel(JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterFilterModelFile);
}
