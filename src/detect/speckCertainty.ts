import fs from 'node:fs';
import { checkFeatureModel, logisticProbability, type LogisticModelFile } from '../classify/logisticModel';

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

// Heatmaps and reducers saturate at 0 and 1 in float32; the logit of such a value is infinite.
const EPS = 1e-6;
const logit = (p: number) => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};

/** The model's inputs: logit(peak); 1 for a member of a reported cluster; for members, how far
 * above its reducer's floor the cluster was kept (logit(probability) − logit(floor)), else 0. */
export function speckCertaintyFeatures(peak: number, cluster: SpeckCluster | undefined): number[] {
  if (!cluster) return [logit(peak), 0, 0];
  return [logit(peak), 1, logit(cluster.probability) - logit(cluster.floor)];
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
