import type { GroundTruthCluster, GroundTruthSpeck } from '../../findings/groundTruth';
import type { Point } from '../../findings/types';
import { SeededRandom } from '../random';
import { clusterOutline } from './clusterOutline';
import { layoutCluster } from './clusterLayouts';
import type { ClusterRecipe, SpeckSpec } from './clusterRecipes';
import type { InsertedSpeck } from './insertSpecks';
import type { SpeckPlan } from './speckPlan';
import { shiftedPoint, speckShape, type FramePoint } from './speckShapes';

/**
 * Radius in mm of a disc around the whole speck, from its own drawn shape (SpeckShape.reachMm): a
 * round form's radius, a rod's half-length plus its width, a branch's real reach. (It was once
 * max(width, length) / 2 + width / 2, a round form's whole diameter: the truth outline then lay up
 * to 2 mm outside a 4 mm rim.)
 */
export function speckReachMm(speck: SpeckPlan): number {
  return speckShape(speck).reachMm;
}

/** The truth outline's margin beyond each speck's reach (mm). */
export const OUTLINE_MARGIN_MM = 0.25;

/**
 * A speck's ground truth as the generator writes it: GroundTruthSpeck, whose `cnr` is the speck's
 * CNR in the image (InsertedSpeck.cnr: neighbours' blurred signal included), plus `cnrAlone`.
 */
export interface SyntheticSpeckTruth extends GroundTruthSpeck {
  /**
   * The CNR the speck would have alone: its own blurred peak over the local tissue noise, the value
   * the recipe drew and that set its amplitude (SpeckPlan.cnr). `cnr` is never below it (bar
   * rounding), and well above it in a compact cluster. Truth files written before 2026-12-04 lack
   * this field and hold this value, not the image's, in `cnr`.
   */
  cnrAlone: number;
}

/**
 * Places a recipe's specks around `centre` (pixels), with linear and segmental layouts pointing to
 * the nipple. `accept` rejects positions outside the tissue (air, beyond the image).
 */
export function placeCluster(
  recipe: ClusterRecipe,
  clusterId: number,
  centre: Point,
  nipple: Point,
  spacingMm: number,
  random: SeededRandom,
  accept: (x: number, y: number) => boolean,
): SpeckPlan[] {
  const towardNipple = Math.atan2(nipple.y - centre.y, nipple.x - centre.x);
  const layout = layoutCluster(recipe.distribution, recipe.specks.length, towardNipple, random);
  const plans: SpeckPlan[] = [];
  recipe.specks.forEach((speck: SpeckSpec, index) => {
    const point = layout[index];
    const x = centre.x + point.dxMm / spacingMm;
    const y = centre.y + point.dyMm / spacingMm;
    if (!accept(x, y)) return;
    plans.push({ ...speck, x, y, angle: point.angle, shapeSeed: Math.floor(random.next() * 2 ** 31), clusterId });
  });
  return plans;
}

export function speckTruth(inserted: InsertedSpeck, spacingMm: number): SyntheticSpeckTruth {
  const { plan } = inserted;
  const skeleton = speckShape(plan).skeletonMm.map((line) => line.map((p) => imagePoint(plan, p, spacingMm)));
  return {
    x: round3(plan.x),
    y: round3(plan.y),
    diameterMm: round3(plan.diameterMm),
    lengthMm: round3(plan.lengthMm),
    type: plan.type,
    cnr: round3(inserted.cnr),
    cnrAlone: round3(plan.cnr),
    clusterId: plan.clusterId,
    ...(skeleton.length > 0 ? { skeleton } : {}),
  };
}

/** A point of the speck's frame (mm) in image pixels, as renderSpeck lays the shape out. */
function imagePoint(plan: SpeckPlan, p: FramePoint, spacingMm: number): Point {
  const mm = shiftedPoint(p, 0, 0, plan.angle);
  return { x: round3(plan.x + mm.u / spacingMm), y: round3(plan.y + mm.v / spacingMm) };
}

/** The ground-truth cluster for the specks that were actually inserted. */
export function clusterTruth(recipe: ClusterRecipe, clusterId: number, specks: SpeckPlan[], spacingMm: number): GroundTruthCluster {
  const centre = {
    x: round3(specks.reduce((sum, s) => sum + s.x, 0) / specks.length),
    y: round3(specks.reduce((sum, s) => sum + s.y, 0) / specks.length),
  };
  const outline = clusterOutline(specks.map((s) => ({ x: s.x, y: s.y, radiusPx: (speckReachMm(s) + OUTLINE_MARGIN_MM) / spacingMm })));
  return {
    id: clusterId,
    center: centre,
    outline,
    morphology: recipe.morphology,
    distribution: recipe.distribution,
    pathology: recipe.pathology,
  };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
