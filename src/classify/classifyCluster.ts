import fs from 'node:fs';
import type { CalcificationDistribution, CalcificationType, FeatureContribution } from '../findings/types';
import { checkBoostedStumps, featureContributions, type BoostedStumpsFile } from './boostedStumps';
import { clusterFeatures, FEATURE_NAMES, featureVector, type ClusterFeatures } from './clusterFeatures';
import type { ClusterSpeck } from './clusterSpeck';
import { sigmoid } from './logisticModel';
import { likelyDistribution, likelyMorphologies } from './morphologyDescriptors';

/** models/mammocad-calc-classifier.json: boosted stumps on the FEATURE_NAMES measures (since 0.3.7). */
export type ClassifierModelFile = BoostedStumpsFile;

export interface ClusterClassification {
  malignancy: number;
  morphology: CalcificationType[];
  distribution: CalcificationDistribution;
  explanation: FeatureContribution[];
  features: ClusterFeatures;
}

/** Everything the report needs about one cluster's nature, from its specks (mm) and the nipple (mm). */
export function classifyCluster(model: ClassifierModelFile, specks: ClusterSpeck[], nippleMm: { x: number; y: number } | null): ClusterClassification {
  const features = clusterFeatures(specks, nippleMm);
  const { probability, explanation } = predictMalignancy(model, features);
  return {
    malignancy: probability,
    morphology: likelyMorphologies(features),
    distribution: likelyDistribution(features),
    explanation,
    features,
  };
}

/**
 * Calibrated P(malignant) and each feature's signed share of the calibrated log-odds (how far it
 * moves this cluster from a typical training cluster), largest first. The shares and the
 * calibrated bias (a · bias + b) sum to the log-odds.
 */
export function predictMalignancy(model: ClassifierModelFile, f: ClusterFeatures): { probability: number; explanation: FeatureContribution[] } {
  const x = featureVector(f);
  const contributions = featureContributions(model, x);
  const logit = contributions.reduce((z, c) => z + c, model.bias);
  const explanation = FEATURE_NAMES.map((feature, i) => ({ feature, value: x[i], contribution: model.platt.a * contributions[i] })).sort(
    (p, q) => Math.abs(q.contribution) - Math.abs(p.contribution),
  );
  return { probability: sigmoid(model.platt.a * logit + model.platt.b), explanation };
}

export function loadClassifierModel(file: string): ClassifierModelFile {
  return checkBoostedStumps(JSON.parse(fs.readFileSync(file, 'utf8')) as ClassifierModelFile, FEATURE_NAMES, 'classifier');
}
