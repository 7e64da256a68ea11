import { classifyCluster, type ClassifierModelFile } from '../classify/classifyCluster';
import { cutRegion } from '../classify/clusterRegion';
import { classifierInputFromDetected } from '../classify/clusterSpeck';
import type { ClusterFinding, Point } from '../findings/types';
import { candidateClusters } from './candidateClusters';
import { clusterFilterProbability, type ClusterFilterModelFile } from './clusterFilter';
import type { FilterImage } from './clusterFilterFeatures';
import { clusterEllipse, clusterOutline } from './clusterGeometry';
import type { DetectedSpeck } from './detectedSpeck';
import type { DetectionParameters } from './detectionParameters';

/**
 * Detected specks (working grid) → reported clusters (original grid): single-linkage grouping into
 * candidates, the false-positive reducer's probability as detection certainty (candidates below
 * params.clusterFloor are dropped), outline and ellipse, and the classifier's malignancy,
 * morphology, distribution and explanation. Clusters are numbered by decreasing detection score
 * (ties by position), so the same input always yields the same indices. When the classifier has a
 * cluster-region CNN, `scoreRegions` runs it on the window around each reported cluster's centre.
 */
export async function buildClusterFindings(
  specks: DetectedSpeck[],
  image: FilterImage & { transform: { toOriginal(p: Point): Point } },
  spacingMm: number,
  nippleWorking: Point | null,
  classifier: ClassifierModelFile,
  clusterFilter: ClusterFilterModelFile,
  params: DetectionParameters,
  scoreRegions?: (patches: Float32Array, size: number) => Promise<Float32Array>,
): Promise<ClusterFinding[]> {
  const toOriginal = (p: Point) => image.transform.toOriginal(p);
  const kept = candidateClusters(specks, image, spacingMm, params)
    .map((candidate) => ({
      ...candidate,
      probability: clusterFilterProbability(clusterFilter, candidate.features),
    }))
    .filter((candidate) => candidate.probability >= params.clusterFloor);
  const regionLogits = await regionLogitsOf(kept.map((k) => k.centre), image, classifier, scoreRegions);
  const clusters = kept.map(({ specks: group, centre, probability }, k) => {
    const discs = group.map((s) => ({ x: s.x, y: s.y, radius: s.diameterMm / 2 / spacingMm }));
    const margin = params.outlineMarginMm / spacingMm;
    const ellipse = clusterEllipse(discs, margin);
    const input = classifierInputFromDetected(group, nippleWorking, spacingMm);
    const nature = classifyCluster(classifier, input.specks, input.nippleMm, regionLogits?.[k]);
    const finding: Omit<ClusterFinding, 'index'> = {
      center: toOriginal(centre),
      outline: clusterOutline(discs, margin).map(toOriginal),
      ellipse: {
        majorAxis: [toOriginal(ellipse.majorAxis[0]), toOriginal(ellipse.majorAxis[1])],
        minorAxis: [toOriginal(ellipse.minorAxis[0]), toOriginal(ellipse.minorAxis[1])],
      },
      calcifications: group.map((s) => ({
        center: toOriginal({ x: s.x, y: s.y }),
        diameterMm: s.diameterMm,
        score: s.score,
      })),
      detectionScore: probability,
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

/** The region CNN's logit for each cluster centre (working grid), or undefined when the classifier has none. */
async function regionLogitsOf(
  centres: Point[],
  image: FilterImage,
  classifier: ClassifierModelFile,
  scoreRegions?: (patches: Float32Array, size: number) => Promise<Float32Array>,
): Promise<Float32Array | undefined> {
  if (!classifier.region || centres.length === 0) return undefined;
  if (!scoreRegions) throw new Error(`the classifier uses a cluster-region CNN (${classifier.region.file}) and no one runs it`);
  const size = classifier.region.patchSize;
  const patches = new Float32Array(centres.length * size * size);
  centres.forEach((c, i) => cutRegion(image, c, size, patches.subarray(i * size * size, (i + 1) * size * size)));
  return scoreRegions(patches, size);
}

/**
 * The detection score before the false-positive reducer (version 0.1.0), kept as the baseline the
 * reducer is compared with in its training: a cluster exists only through its strongest specks, so take the
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
