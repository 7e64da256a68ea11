import { principalAxes } from '../detect/clusterGeometry';
import { convexHull, polygonArea } from '../geometry/polygon';
import type { ClusterSpeck } from './clusterSpeck';

/**
 * The morphology and distribution measures that separate benign from malignant clusters
 * (LESIONS.md: malignant clusters have more specks, mixed sizes (variation ≥ 0.4), linear forms and
 * linear or segmental layouts pointing to the nipple; benign ones few uniform round specks).
 * Order matters: it is the order of the weights in the model file.
 */
export const FEATURE_NAMES = [
  'logCount',
  'densityPerCm2',
  'meanDiameterMm',
  'diameterVariation',
  'contrastVariation',
  'meanElongation',
  'linearFraction',
  'layoutElongation',
  'extentMm',
  'nippleAlignment',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type ClusterFeatures = Record<FeatureName, number>;

/** A speck at least this elongated counts as a linear form. */
export const LINEAR_ELONGATION = 2.5;
/** Smallest area a cluster is credited with (a disc of 2 mm radius), so 3 close specks are not "dense". */
const MIN_AREA_MM2 = Math.PI * 4;

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const coefficientOfVariation = (v: number[]) => {
  const m = mean(v);
  const sd = Math.sqrt(mean(v.map((x) => (x - m) ** 2)));
  return Math.abs(m) > 1e-9 ? sd / Math.abs(m) : 0;
};

/**
 * nippleMm: the nipple in the same mm frame, or null when unknown (alignment is then neutral, 0.5).
 */
export function clusterFeatures(specks: ClusterSpeck[], nippleMm: { x: number; y: number } | null): ClusterFeatures {
  if (specks.length === 0) throw new Error('clusterFeatures needs at least one speck');
  const points = specks.map((s) => ({ x: s.xMm, y: s.yMm }));
  const hull = convexHull(points);
  const area = Math.max(hull.length >= 3 ? polygonArea(hull) : 0, MIN_AREA_MM2);
  const axes = principalAxes(points);
  // Layout elongation: ratio of the principal spreads, floored so a perfect line stays finite.
  const minor = Math.sqrt(Math.max(axes.lambda2, 0.25 * 0.25));
  const major = Math.sqrt(Math.max(axes.lambda1, 0.25 * 0.25));
  const layoutElongation = Math.min(major / minor, 10);
  let nippleAlignment = 0.5;
  if (nippleMm) {
    const dx = nippleMm.x - axes.mean.x;
    const dy = nippleMm.y - axes.mean.y;
    const d = Math.hypot(dx, dy);
    if (d > 1e-6) {
      const cos = Math.abs((dx * axes.major.x + dy * axes.major.y) / d);
      // A round layout has no direction: weigh the alignment by how elongated the layout is.
      const weight = 1 - 1 / layoutElongation;
      nippleAlignment = 0.5 + (cos - 0.5) * weight;
    }
  }
  const elongations = specks.map((s) => Math.min(s.elongation, 6));
  return {
    logCount: Math.log(specks.length),
    densityPerCm2: specks.length / (area / 100),
    meanDiameterMm: mean(specks.map((s) => s.diameterMm)),
    diameterVariation: coefficientOfVariation(specks.map((s) => s.diameterMm)),
    contrastVariation: coefficientOfVariation(specks.map((s) => s.contrast)),
    meanElongation: mean(elongations),
    linearFraction: elongations.filter((e) => e >= LINEAR_ELONGATION).length / specks.length,
    layoutElongation: Math.log(layoutElongation),
    extentMm: 4 * major,
    nippleAlignment,
  };
}

/** The features in FEATURE_NAMES order: the classifier model's input vector. */
export function featureVector(f: ClusterFeatures): number[] {
  return FEATURE_NAMES.map((name) => f[name]);
}
