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
 * A model that names a speck stage (speckStage.ts) reads its logit as a fourth input: the stage
 * reads the speck's own crop, which the peak summarises poorly (models/HISTORY.md, "0.3.17").
 */
export interface SpeckCertaintyModelFile extends LogisticModelFile {
  /** The speck stage whose logit (the mean over its networks) is the input `stageLogit`: an ONNX
   * file in the model folder. */
  stage?: { file: string };
}

export const SPECK_CERTAINTY_FEATURE_NAMES = ['peakLogit', 'member', 'memberMarginLogit'] as const;
export const STAGE_FEATURE_NAME = 'stageLogit';

/** The reported cluster a speck belongs to: its detection score and the floor its reducer kept it at. */
export interface SpeckCluster {
  probability: number;
  floor: number;
}

/** The model's inputs: logit(peak); 1 for a member of a reported cluster; for members, how far
 * above its reducer's floor the cluster was kept (logit(probability) − logit(floor)), else 0; and,
 * when given, the speck stage's logit. */
export function speckCertaintyFeatures(peak: number, cluster: SpeckCluster | undefined, stageLogit?: number): number[] {
  // scoreLogit holds saturated float32 peaks and probabilities off 0 and 1.
  const own = cluster ? [scoreLogit(peak), 1, scoreLogit(cluster.probability) - scoreLogit(cluster.floor)] : [scoreLogit(peak), 0, 0];
  return stageLogit === undefined ? own : [...own, stageLogit];
}

/** The stage logit a model reads: the mean over the stage's networks. */
export function meanStageLogit(stageLogits: readonly number[]): number {
  return stageLogits.reduce((a, b) => a + b, 0) / stageLogits.length;
}

export function readsSpeckStage(model: SpeckCertaintyModelFile): boolean {
  return model.stage !== undefined;
}

export function speckCertainty(
  model: SpeckCertaintyModelFile,
  speck: { score: number; stageLogits?: readonly number[] },
  cluster: SpeckCluster | undefined,
): number {
  if (!readsSpeckStage(model)) return logisticProbability(model, speckCertaintyFeatures(speck.score, cluster));
  if (!speck.stageLogits) throw new Error('the speck certainty reads the speck stage, but this speck was not scored by it');
  return logisticProbability(model, speckCertaintyFeatures(speck.score, cluster, meanStageLogit(speck.stageLogits)));
}

export function loadSpeckCertaintyModel(file: string): SpeckCertaintyModelFile {
  const model = JSON.parse(fs.readFileSync(file, 'utf8')) as SpeckCertaintyModelFile;
  if (model.stage !== undefined && typeof model.stage?.file !== 'string') throw new Error(`speck certainty (${file}): its "stage" entry needs a file name`);
  const names = readsSpeckStage(model) ? [...SPECK_CERTAINTY_FEATURE_NAMES, STAGE_FEATURE_NAME] : SPECK_CERTAINTY_FEATURE_NAMES;
  return checkFeatureModel(model, names, `speck certainty (${file})`);
}
