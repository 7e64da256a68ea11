import { fitLogistic } from '../../src/classify/trainLogistic';
import { scoreLogit } from '../../src/detect/clusterFilterFeatures';
import { blendWithStage, type ClusterStageBlend } from '../../src/detect/clusterStageBlend';
import { budgetFloor } from '../eval/froc';

/** One candidate cluster (every candidate, no floor): its reducer probability, its specks' mean stage
 * logit and whether it hits a true cluster. */
export interface BlendCandidate {
  image: string;
  reducer: number;
  stage: number;
  hits: string[];
}

/** The blend's weights: a logistic regression on (reducer log-odds, stage logit), returned in raw units. */
export function fitStageBlend(rows: BlendCandidate[]): Pick<ClusterStageBlend, 'reducerWeight' | 'stageWeight' | 'bias'> {
  const fit = fitLogistic(
    rows.map((r) => [scoreLogit(r.reducer), r.stage]),
    rows.map((r) => (r.hits.length > 0 ? 1 : 0)),
  );
  const [a, b] = fit.weights.map((w, j) => w / fit.scales[j]);
  return { reducerWeight: a, stageWeight: b, bias: fit.bias - a * fit.means[0] - b * fit.means[1] };
}

export function blendedScore(blend: Pick<ClusterStageBlend, 'reducerWeight' | 'stageWeight' | 'bias'>, r: BlendCandidate): number {
  return blendWithStage(blend, scoreLogit(r.reducer), r.stage);
}

/** The blended score's lowest floor that passes at most falsePerImage false clusters per image on these candidates. */
export function floorAtRate(
  rows: BlendCandidate[],
  images: number,
  blend: Pick<ClusterStageBlend, 'reducerWeight' | 'stageWeight' | 'bias'>,
  falsePerImage: number,
): number {
  const falseScores = rows.filter((r) => r.hits.length === 0).map((r) => blendedScore(blend, r));
  return budgetFloor(falseScores, images, falsePerImage);
}

/**
 * The blended score's floor that passes as many false clusters per image on these candidates as the
 * reducer alone passes at its own floor: the blend reorders the candidates, it does not buy
 * sensitivity with more false marks (models/HISTORY.md, "0.3.21").
 */
export function rateMatchedFloor(
  rows: BlendCandidate[],
  images: number,
  blend: Pick<ClusterStageBlend, 'reducerWeight' | 'stageWeight' | 'bias'>,
  reducerFloor: number,
): { floor: number; falsePerImage: number } {
  const falsePerImage = rows.filter((r) => r.hits.length === 0 && r.reducer >= reducerFloor).length / images;
  return { floor: floorAtRate(rows, images, blend, falsePerImage), falsePerImage };
}
