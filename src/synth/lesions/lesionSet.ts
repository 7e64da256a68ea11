import type { GroundTruthCluster, GroundTruthSpeck } from '../../findings/groundTruth';
import type { Point } from '../../findings/types';
import type { AttenuationImage } from '../attenuationImage';
import type { DetectorSettings } from '../detectorModel';
import { SeededRandom } from '../random';
import { benignClusterRecipe, benignLargeFormRecipe, isolatedSpeckSpec, malignantClusterRecipe, type ClusterRecipe } from './clusterRecipes';
import { insertSpecks, type InsertedSpeck } from './insertSpecks';
import { clusterTruth, placeCluster, speckTruth } from './placeCluster';
import type { SpeckPlan } from './speckPlan';

export type ClusterKind = 'benign' | 'malignant' | 'benignLarge';

export interface LesionRequest {
  clusters: { kind: ClusterKind; centre: Point }[];
  isolated: Point[];
  /** Point spread sigma in pixels of this image. */
  psfSigmaPx: number;
  nipple: Point;
  /** Whether a speck centre may go at (x, y): inside tissue, inside the image. */
  accept: (x: number, y: number) => boolean;
}

export interface LesionSet {
  specks: GroundTruthSpeck[];
  clusters: GroundTruthCluster[];
  inserted: InsertedSpeck[];
  recipes: ClusterRecipe[];
}

/**
 * Kinds of cluster a synthetic image gets: 45 % malignant, 40 % benign, 15 % large benign forms.
 * clusterRecipes' MALIGNANT_PREVALENCE follows the first two.
 */
export function drawClusterKind(random: SeededRandom): ClusterKind {
  const roll = random.next();
  return roll < 0.45 ? 'malignant' : roll < 0.85 ? 'benign' : 'benignLarge';
}

export function recipeFor(kind: ClusterKind, random: SeededRandom): ClusterRecipe {
  if (kind === 'malignant') return malignantClusterRecipe(random);
  if (kind === 'benignLarge') return benignLargeFormRecipe(random);
  return benignClusterRecipe(random);
}

/**
 * Plans, inserts and records a set of clusters and isolated specks in one attenuation image: the one
 * path by which every synthetic product (study, patches, cluster list) gets its calcifications.
 */
export function insertLesions(
  image: AttenuationImage,
  request: LesionRequest,
  detector: DetectorSettings | undefined,
  random: SeededRandom,
): LesionSet {
  const plans: SpeckPlan[] = [];
  const recipes: ClusterRecipe[] = [];
  request.clusters.forEach((cluster, index) => {
    const recipe = recipeFor(cluster.kind, random.fork(100 + index));
    recipes.push(recipe);
    plans.push(...placeCluster(recipe, index + 1, cluster.centre, request.nipple, image.spacingMm, random.fork(200 + index), request.accept));
  });
  for (const point of request.isolated) {
    if (!request.accept(point.x, point.y)) continue;
    const spec = isolatedSpeckSpec(random);
    plans.push({ ...spec, x: point.x, y: point.y, angle: random.uniform(0, Math.PI), shapeSeed: Math.floor(random.next() * 2 ** 31), clusterId: null });
  }
  const inserted = insertSpecks(image, plans, request.psfSigmaPx, detector);
  const clusters: GroundTruthCluster[] = [];
  recipes.forEach((recipe, index) => {
    const members = inserted.filter((s) => s.plan.clusterId === index + 1).map((s) => s.plan);
    if (members.length > 0) clusters.push(clusterTruth(recipe, index + 1, members, image.spacingMm));
  });
  // A cluster whose specks all fell outside the tissue leaves no truth; its specks do not exist either.
  return { specks: inserted.map((s) => speckTruth(s, image.spacingMm)), clusters, inserted, recipes };
}

/** PSF sigma for an image: 0.4-1.0 px at 70 µm for digital detectors (LESIONS.md), scaled to spacing. */
export function drawPsfSigmaPx(spacingMm: number, random: SeededRandom): number {
  return (random.uniform(0.4, 1.0) * 0.07) / spacingMm;
}
