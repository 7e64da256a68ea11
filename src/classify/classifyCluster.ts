import fs from 'node:fs';
import type { CalcificationDistribution, CalcificationType, FeatureContribution } from '../findings/types';
import { clusterFeatures, type ClusterFeatures } from './clusterFeatures';
import type { ClusterSpeck } from './clusterSpeck';
import { checkModelFile, predictMalignancy, type LogisticModelFile } from './logisticModel';
import { likelyDistribution, likelyMorphologies } from './morphologyDescriptors';

export interface ClusterClassification {
  malignancy: number;
  morphology: CalcificationType[];
  distribution: CalcificationDistribution;
  explanation: FeatureContribution[];
  features: ClusterFeatures;
}

/** Everything the report needs about one cluster's nature, from its specks (mm) and the nipple (mm). */
export function classifyCluster(model: LogisticModelFile, specks: ClusterSpeck[], nippleMm: { x: number; y: number } | null): ClusterClassification {
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

export function loadClassifierModel(file: string): LogisticModelFile {
  return checkModelFile(JSON.parse(fs.readFileSync(file, 'utf8')) as LogisticModelFile);
}
