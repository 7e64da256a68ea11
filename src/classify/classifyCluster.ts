import fs from 'node:fs';
import type { CalcificationDistribution, CalcificationType, FeatureContribution } from '../findings/types';
import { checkBoostedStumps, featureContributions, type BoostedStumpsFile } from './boostedStumps';
import { checkRegionEntry, type RegionModelEntry } from './clusterRegion';
import { clusterFeatures, FEATURE_NAMES, featureVector, type ClusterFeatures } from './clusterFeatures';
import type { ClusterSpeck } from './clusterSpeck';
import { sigmoid } from './logisticModel';
import { likelyDistribution, likelyMorphologies } from './morphologyDescriptors';

/** The malignancy CNN the classifier leans on beside its measures (its "region" entry). */
export interface ClusterRegionModel extends RegionModelEntry {
  /** Its mean logit over training clusters: the explanation's zero point for the region's share. */
  reference: number;
}

/**
 * models/mammocad-calc-classifier.json: boosted stumps on the FEATURE_NAMES measures (since 0.3.7), and
 * optionally the cluster-region CNN blended into the log-odds.
 */
export type ClassifierModelFile = BoostedStumpsFile & { region?: ClusterRegionModel };

/** The explanation's name for the cluster-region CNN's share. */
export const REGION_FEATURE = 'clusterRegionImage';

export interface ClusterClassification {
  malignancy: number;
  morphology: CalcificationType[];
  distribution: CalcificationDistribution;
  explanation: FeatureContribution[];
  features: ClusterFeatures;
}

/**
 * Everything the report needs about one cluster's nature, from its specks (mm), the nipple (mm) and,
 * when the model has a region CNN, that CNN's logit for the cluster's window.
 */
export function classifyCluster(
  model: ClassifierModelFile,
  specks: ClusterSpeck[],
  nippleMm: { x: number; y: number } | null,
  regionLogit?: number,
): ClusterClassification {
  const features = clusterFeatures(specks, nippleMm);
  const { probability, explanation } = predictMalignancy(model, features, regionLogit);
  return {
    malignancy: probability,
    morphology: likelyMorphologies(features),
    distribution: likelyDistribution(features),
    explanation,
    features,
  };
}

/**
 * Calibrated P(malignant) and each input's signed share of the calibrated log-odds (how far it moves
 * this cluster from a typical training cluster), largest first. The shares and calibratedBias(model)
 * sum to the log-odds.
 */
export function predictMalignancy(
  model: ClassifierModelFile,
  f: ClusterFeatures,
  regionLogit?: number,
): { probability: number; explanation: FeatureContribution[] } {
  if (model.region && regionLogit === undefined) throw new Error(`the classifier needs the cluster-region CNN's logit (${model.region.file})`);
  const keep = 1 - (model.region?.weight ?? 0);
  const x = featureVector(f);
  const contributions = featureContributions(model, x);
  const explanation: FeatureContribution[] = FEATURE_NAMES.map((feature, i) => ({ feature, value: x[i], contribution: keep * model.platt.a * contributions[i] }));
  if (model.region && regionLogit !== undefined) {
    explanation.push({ feature: REGION_FEATURE, value: regionLogit, contribution: model.region.weight * (regionLogit - model.region.reference) });
  }
  const logit = explanation.reduce((z, e) => z + e.contribution, calibratedBias(model));
  explanation.sort((p, q) => Math.abs(q.contribution) - Math.abs(p.contribution));
  return { probability: sigmoid(logit), explanation };
}

/** The calibrated log-odds of a cluster whose every input sits at its reference. */
export function calibratedBias(model: ClassifierModelFile): number {
  const weight = model.region?.weight ?? 0;
  return (1 - weight) * (model.platt.a * model.bias + model.platt.b) + weight * (model.region?.reference ?? 0);
}

export function loadClassifierModel(file: string): ClassifierModelFile {
  const model = checkBoostedStumps(JSON.parse(fs.readFileSync(file, 'utf8')) as ClassifierModelFile, FEATURE_NAMES, 'classifier') as ClassifierModelFile;
  const region = model.region;
  if (region) {
    checkRegionEntry(region, `classifier model ${file}`);
    if (!Number.isFinite(region.reference)) throw new Error(`classifier model ${file}: its "region" entry needs a reference`);
  }
  return model;
}
