import fs from 'node:fs';
import { checkRegionEntry, type RegionModelEntry } from '../classify/clusterRegion';
import { checkFeatureModel, sigmoid, standardisedLogit, type LogisticModelFile } from '../classify/logisticModel';
import { CLUSTER_FILTER_FEATURE_NAMES, type ClusterFilterFeatures } from './clusterFilterFeatures';
import { blendWithStage, checkStageBlend, type ClusterStageBlend } from './clusterStageBlend';
import type { CandidateRule } from './detectionParameters';

/**
 * The cluster false-positive reducer (models/mammocad-calc-cluster-filter.json): a logistic
 * regression on the standardised candidate-cluster features of clusterFilterFeatures.ts, trained on
 * synthetic studies (`npm run train:cluster-filter`). Its probability that a candidate is a true
 * cluster is the reported detection score; candidates below the configured floor are dropped.
 * The file layout is logisticModel.ts's (the malignancy classifier's up to 0.3.6); platt is identity unless fitted.
 * A "region" entry blends in the presence CNN's logit for the window around the candidate; a
 * "stage" entry (clusterStageBlend.ts) the speck stage's logits of the candidate's specks.
 */
export type ClusterFilterModelFile = LogisticModelFile & { region?: RegionModelEntry; stage?: ClusterStageBlend };

/** A reducer as one image uses it: candidates of its rule (at least minSpecks specks from at least
 * minComponents heatmap components), reported from floor up. */
export interface ClusterReducer extends CandidateRule {
  model: ClusterFilterModelFile;
  floor: number;
}

export function clusterFilterVector(f: ClusterFilterFeatures): number[] {
  return CLUSTER_FILTER_FEATURE_NAMES.map((name) => f[name]);
}

/** P(true cluster) for one candidate's features and, when the model has a region CNN, its logit; when
 * it blends in the speck stage, the mean stage logit of the candidate's specks (memberStageLogit). */
export function clusterFilterProbability(model: ClusterFilterModelFile, f: ClusterFilterFeatures, presenceLogit?: number, stageLogit?: number): number {
  const x = clusterFilterVector(f);
  let z = model.platt.a * standardisedLogit(model, x) + model.platt.b;
  if (model.region) {
    if (presenceLogit === undefined) throw new Error(`the cluster filter needs the presence CNN's logit (${model.region.file})`);
    z = (1 - model.region.weight) * z + model.region.weight * presenceLogit;
  }
  if (!model.stage) return sigmoid(z);
  if (stageLogit === undefined) throw new Error("the cluster filter blends in the speck stage and needs its candidate's stage logit");
  return blendWithStage(model.stage, z, stageLogit);
}

/** The reducer without its speck-stage blend: what the blend is fitted on, and what images the stage
 * does not judge get. */
export function reducerAlone(model: ClusterFilterModelFile): ClusterFilterModelFile {
  const { stage: _blend, ...alone } = model;
  return alone;
}

/** The floor the model's score was chosen with: its stage blend's where it has one. */
export function clusterFilterFloor(model: ClusterFilterModelFile): number {
  return model.stage ? model.stage.floor : (model.training.floor as number);
}

export function checkClusterFilterModel(model: ClusterFilterModelFile): ClusterFilterModelFile {
  checkFeatureModel(model, CLUSTER_FILTER_FEATURE_NAMES, 'cluster filter');
  if (model.region) checkRegionEntry(model.region, 'cluster filter model');
  if (model.stage) checkStageBlend(model.stage, 'cluster filter model');
  return model;
}

export function loadClusterFilterModel(file: string): ClusterFilterModelFile {
  return checkClusterFilterModel(JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterFilterModelFile);
}
