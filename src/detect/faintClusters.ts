import fs from 'node:fs';
import {
  checkFeatureModel,
  logisticProbability,
  sigmoid,
  type LogisticModelFile,
} from '../classify/logisticModel';
import type { Point } from '../findings/types';
import { candidateClusters, type CandidateCluster } from './candidateClusters';
import type { FilterImage } from './clusterFilterFeatures';
import type { DetectedSpeck } from './detectedSpeck';
import type { CandidateRule, DetectionParameters } from './detectionParameters';
import { meanStageLogit } from './speckCertainty';

/**
 * Faint clusters: the second tier of candidate clusters on digital images
 * (models/mammocad-calc-faint-cluster-filter.json, `npm run train:faint-cluster-filter`).
 *
 * Most clusters the node misses have too few specks at the speck threshold (0.8) to make a
 * candidate at all: their specks are near the detection limit, where the heatmap gives tissue spots
 * the same 0.5-0.8 (models/HISTORY.md, "0.3.15", "clusters from faint marks"). The speck stage
 * (speckStage.ts) tells those specks from tissue far better than the heatmap does, and a group of
 * them says more than any one. So the specks at the speck threshold and the faint specks (down to
 * faintMarkThreshold, components that reach 0.8 nowhere) are grouped again by the same rule, and a
 * group that no reported cluster already covers is judged by a logistic regression on its specks'
 * stage logits alone (the reducer's measures of shape and tissue added nothing on validation:
 * models/HISTORY.md, "0.3.19").
 */
export const FAINT_CLUSTER_FEATURE_NAMES = [
  'meanStageLogit',
  'maxStageLogit',
  'topThreeStageLogit',
  'logStageSpecks',
  'logStageProbabilitySum',
  'logSpecks',
] as const;

/** A faint candidate whose centre lies closer than this to a reported cluster's is that cluster
 * seen again with its faint neighbours, not a new one. */
export const FAINT_CLUSTER_SEPARATION_MM = 5;

export type FaintClusterFilterModelFile = LogisticModelFile;

/** The faint tier as one image uses it: its model and the floor its candidates are reported from. */
export interface FaintClusterReducer {
  model: FaintClusterFilterModelFile;
  floor: number;
}

/** The features of a group whose every speck carries stage logits (FAINT_CLUSTER_FEATURE_NAMES order):
 * the mean, highest and top-three mean of the specks' stage logits, log(1 + the specks the stage
 * calls calcifications), log(1 + the sum of their stage probabilities), and log(specks). */
export function faintClusterFeatures(specks: readonly DetectedSpeck[]): number[] {
  const logits = specks
    .map((s) => {
      if (!s.stageLogits)
        throw new Error('a faint cluster candidate has a speck the speck stage did not score');
      return meanStageLogit(s.stageLogits);
    })
    .sort((a, b) => b - a);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return [
    mean(logits),
    logits[0],
    mean(logits.slice(0, 3)),
    Math.log1p(logits.filter((z) => z > 0).length),
    Math.log1p(logits.reduce((sum, z) => sum + sigmoid(z), 0)),
    Math.log(logits.length),
  ];
}

/**
 * The faint candidates of an image (working grid): groups of `specks` (those at the speck threshold,
 * skin-line filter applied) and `faintSpecks` (the faint ones, likewise) by the image's candidate
 * rule, less those that hold a member of a reported cluster or are centred within
 * FAINT_CLUSTER_SEPARATION_MM of a reported cluster's centre. Component labels of the two
 * extractions are kept apart, so that a faint speck never shares a component with a speck at the
 * threshold.
 */
export function faintCandidateClusters(
  specks: readonly DetectedSpeck[],
  faintSpecks: readonly DetectedSpeck[],
  reported: readonly { centre: Point; specks: readonly DetectedSpeck[] }[],
  image: FilterImage,
  spacingMm: number,
  params: Pick<DetectionParameters, 'linkDistanceMm'> & CandidateRule,
): CandidateCluster[] {
  const offset = specks.reduce((m, s) => Math.max(m, s.component), 0) + 1;
  // Relabelled copies for grouping; the candidates hold the callers' own speck objects.
  const original = new Map<DetectedSpeck, DetectedSpeck>(
    faintSpecks.map((s) => [{ ...s, component: s.component + offset }, s]),
  );
  const separation = FAINT_CLUSTER_SEPARATION_MM / spacingMm;
  const members = new Set(reported.flatMap((r) => r.specks));
  const apart = (k: CandidateCluster) =>
    k.specks.every((s) => !members.has(s)) &&
    reported.every(({ centre: c }) => Math.hypot(c.x - k.centre.x, c.y - k.centre.y) >= separation);
  return candidateClusters([...specks, ...original.keys()], image, spacingMm, params)
    .filter(apart)
    .map((k) => ({ ...k, specks: k.specks.map((s) => original.get(s) ?? s) }));
}

/** P(true cluster) of a faint candidate. */
export function faintClusterProbability(
  model: FaintClusterFilterModelFile,
  specks: readonly DetectedSpeck[],
): number {
  return logisticProbability(model, faintClusterFeatures(specks));
}

export function loadFaintClusterFilterModel(file: string): FaintClusterFilterModelFile {
  const model = JSON.parse(fs.readFileSync(file, 'utf8')) as FaintClusterFilterModelFile;
  return checkFeatureModel(model, FAINT_CLUSTER_FEATURE_NAMES, 'faint cluster filter');
}
