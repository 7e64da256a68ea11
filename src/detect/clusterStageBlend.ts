import { sigmoid } from '../classify/logisticModel';
import type { DetectedSpeck } from './detectedSpeck';
import { meanStageLogit } from './speckCertainty';

/**
 * The speck stage's verdict on a candidate cluster, blended into its reducer's score (since 0.3.21;
 * models/HISTORY.md, "0.3.21"): P = σ(reducerWeight · z + stageWeight · m + bias), where z is the
 * reducer's calibrated log-odds and m the mean, over the candidate's specks, of the stage's mean
 * logit. The reducer's sixteen measures were fitted on synthetic tissue and cannot tell a real
 * ligament crossing from a group of specks; the stage, which has seen real digital tissue, can.
 * Fitted by `npm run train:cluster-stage-blend` on studies no stage network learnt; `floor` replaces
 * the reducer's own floor (its `training.floor`) for the blended score.
 */
export interface ClusterStageBlend {
  reducerWeight: number;
  stageWeight: number;
  bias: number;
  floor: number;
  training: Record<string, unknown>;
}

/** The blended probability from the reducer's log-odds and the members' mean stage logit. */
export function blendWithStage(blend: Pick<ClusterStageBlend, 'reducerWeight' | 'stageWeight' | 'bias'>, reducerLogOdds: number, memberStageLogit: number): number {
  return sigmoid(blend.reducerWeight * reducerLogOdds + blend.stageWeight * memberStageLogit + blend.bias);
}

/** m: the mean over the specks of each one's mean stage logit; an error if the stage did not score them all. */
export function memberStageLogit(specks: readonly Pick<DetectedSpeck, 'stageLogits'>[]): number {
  let sum = 0;
  for (const s of specks) {
    if (!s.stageLogits) throw new Error('the cluster reducer blends in the speck stage, but a candidate speck was not scored by it');
    sum += meanStageLogit(s.stageLogits);
  }
  return sum / specks.length;
}

export function checkStageBlend(blend: ClusterStageBlend, what: string): void {
  const numbers = [blend.reducerWeight, blend.stageWeight, blend.bias, blend.floor];
  if (!numbers.every(Number.isFinite) || blend.floor <= 0 || blend.floor >= 1) throw new Error(`${what}: its stage blend needs finite weights and a floor in (0, 1)`);
}
