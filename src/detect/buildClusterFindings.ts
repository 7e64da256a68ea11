import { classifyCluster } from '../classify/classifyCluster';
import type { ClusterSpeck } from '../classify/clusterSpeck';
import type { LogisticModelFile } from '../classify/logisticModel';
import type { ClusterFinding, Point } from '../findings/types';
import { clusterEllipse, clusterOutline } from './clusterGeometry';
import { clusterSpecks } from './clusterSpecks';
import type { DetectedSpeck } from './detectedSpeck';
import type { DetectionParameters } from './detectionParameters';

/**
 * Detected specks (working grid) → reported clusters (original grid): single-linkage grouping,
 * outline and ellipse, detection certainty, and the classifier's malignancy, morphology,
 * distribution and explanation. Clusters are numbered by decreasing detection score (ties by
 * position), so the same input always yields the same indices.
 */
export function buildClusterFindings(
  specks: DetectedSpeck[],
  image: { transform: { toOriginal(p: Point): Point } },
  spacingMm: number,
  nippleWorking: Point | null,
  classifier: LogisticModelFile,
  params: DetectionParameters,
): ClusterFinding[] {
  const groups = clusterSpecks(specks, params.linkDistanceMm / spacingMm, params.minSpecks);
  const toOriginal = (p: Point) => image.transform.toOriginal(p);
  const nippleMm = nippleWorking ? { x: nippleWorking.x * spacingMm, y: nippleWorking.y * spacingMm } : null;
  const clusters = groups.map((members) => {
    const group = members.map((i) => specks[i]);
    const discs = group.map((s) => ({ x: s.x, y: s.y, radius: s.diameterMm / 2 / spacingMm }));
    const margin = params.outlineMarginMm / spacingMm;
    const centre = { x: group.reduce((s, p) => s + p.x, 0) / group.length, y: group.reduce((s, p) => s + p.y, 0) / group.length };
    const ellipse = clusterEllipse(discs, margin);
    const classifierSpecks: ClusterSpeck[] = group.map((s) => ({
      xMm: s.x * spacingMm,
      yMm: s.y * spacingMm,
      diameterMm: s.diameterMm,
      contrast: s.contrast,
      elongation: s.elongation,
    }));
    const nature = classifyCluster(classifier, classifierSpecks, nippleMm);
    const finding: Omit<ClusterFinding, 'index'> = {
      center: toOriginal(centre),
      outline: clusterOutline(discs, margin).map(toOriginal),
      ellipse: {
        majorAxis: [toOriginal(ellipse.majorAxis[0]), toOriginal(ellipse.majorAxis[1])],
        minorAxis: [toOriginal(ellipse.minorAxis[0]), toOriginal(ellipse.minorAxis[1])],
      },
      calcifications: group.map((s) => ({ center: toOriginal({ x: s.x, y: s.y }), diameterMm: s.diameterMm, score: s.score })),
      detectionScore: clusterDetectionScore(group.map((s) => s.score)),
      malignancy: nature.malignancy,
      morphology: nature.morphology,
      distribution: nature.distribution,
      explanation: nature.explanation,
    };
    return finding;
  });
  return clusters
    .sort((a, b) => b.detectionScore - a.detectionScore || a.center.y - b.center.y || a.center.x - b.center.x)
    .map((c, i) => ({ index: i + 1, ...c }));
}

/**
 * Certainty that a cluster is real: a cluster exists only through its strongest specks, so take the
 * mean of the three highest speck scores, nudged up by how many more specks agree (a 1-in-20 bonus
 * per extra speck, saturating) so a dense cluster ranks above a chance triple of equal scores.
 */
export function clusterDetectionScore(scores: number[]): number {
  const top = [...scores].sort((a, b) => b - a);
  const strongest = top.slice(0, 3);
  const mean = strongest.reduce((s, x) => s + x, 0) / strongest.length;
  const support = 1 - Math.exp(-Math.max(0, scores.length - 3) / 20);
  return mean + (1 - mean) * 0.5 * support;
}
