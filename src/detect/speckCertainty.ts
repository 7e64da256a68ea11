import fs from 'node:fs';
import { checkFeatureModel, logisticProbability, type LogisticModelFile } from '../classify/logisticModel';
import { scoreLogit } from './clusterFilterFeatures';

/**
 * The certainty that a speck mark lies on a calcification: the CAD SR's Certainty of Finding for
 * each Individual Calcification, and the score of eval's per-speck FROC
 * (models/mammocad-calc-speck-certainty.json, `npm run train:speck-certainty`). A logistic
 * regression on the heatmap peak and the verdict on the speck's group. The peak alone is far too
 * sure outside reported clusters: there, marks at a peak of 0.8-0.9 lie on a calcification 4 % of
 * the time, inside them 69 % (models/HISTORY.md, "speck marks ranked with their cluster's context").
 */
export type SpeckCertaintyModelFile = LogisticModelFile;

export const SPECK_CERTAINTY_FEATURE_NAMES = ['peakLogit', 'member', 'memberMarginLogit'] as const;

/** The reported cluster a speck belongs to: its detection score and the floor its reducer kept it at. */
export interface SpeckCluster {
  probability: number;
  floor: number;
}

/** The model's inputs: logit(peak); 1 for a member of a reported cluster; for members, how far
 * above its reducer's floor the cluster was kept (logit(probability) − logit(floor)), else 0. */
export function speckCertaintyFeatures(peak: number, cluster: SpeckCluster | undefined): number[] {
  // scoreLogit holds saturated float32 peaks and probabilities off 0 and 1.
  if (!cluster) return [scoreLogit(peak), 0, 0];
  return [scoreLogit(peak), 1, scoreLogit(cluster.probability) - scoreLogit(cluster.floor)];
}

export function speckCertainty(
  model: SpeckCertaintyModelFile,
  peak: number,
  cluster: SpeckCluster | undefined,
): number {
  return logisticProbability(model, speckCertaintyFeatures(peak, cluster));
}

export function loadSpeckCertaintyModel(file: string): SpeckCertaintyModelFile {
  const model = JSON.parse(fs.readFileSync(file, 'utf8')) as SpeckCertaintyModelFile;
  return checkFeatureModel(model, SPECK_CERTAINTY_FEATURE_NAMES, `speck certainty (${file})`);
}
