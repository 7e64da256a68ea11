import { classifyCluster, type ClassifierModelFile } from '../classify/classifyCluster';
import { cutRegion, type RegionModelEntry, type RegionModelName } from '../classify/clusterRegion';
import { classifierInputFromDetected } from '../classify/clusterSpeck';
import type { ClusterFinding, Point } from '../findings/types';
import { candidateClusters } from './candidateClusters';
import { clusterFilterProbability, type ClusterReducer } from './clusterFilter';
import { memberStageLogit } from './clusterStageBlend';
import type { FilterImage } from './clusterFilterFeatures';
import { clusterEllipse, clusterOutline, mapEllipse } from './clusterGeometry';
import type { DetectedSpeck } from './detectedSpeck';
import type { DetectionParameters } from './detectionParameters';
import { speckCertainty, type SpeckCertaintyModelFile, type SpeckCluster } from './speckCertainty';

/**
 * Detected specks (working grid) → reported clusters (original grid): single-linkage grouping into
 * candidates of the image's reducer's rule (reducer.minSpecks, reducer.minComponents), the false-positive reducer's probability as detection certainty (candidates below
 * its floor are dropped), outline and ellipse, and the classifier's malignancy,
 * morphology, distribution and explanation. Clusters are numbered by decreasing detection score
 * (ties by position), so the same input always yields the same indices. `scoreRegions` runs the
 * cluster-region CNNs the model files name on the window around each centre: the reducer's presence
 * CNN on every candidate, the classifier's malignancy CNN on each reported cluster. Each reported
 * calcification's score is its speck certainty (speckCertainty.ts) as a member of its cluster;
 * `clusterOf` gives every member's cluster, so the specks outside them can be scored too.
 * `candidateCentres` gives every candidate's centre (original grid), the ones below the floor too:
 * evaluation's candidate ceiling, the share of true clusters any ranking of them could report.
 */
export async function buildClusterFindings(
  specks: DetectedSpeck[],
  image: FilterImage & { transform: { toOriginal(p: Point): Point } },
  spacingMm: number,
  nippleWorking: Point | null,
  classifier: ClassifierModelFile,
  reducer: ClusterReducer,
  certainty: SpeckCertaintyModelFile,
  params: DetectionParameters,
  scoreRegions?: ScoreRegions,
): Promise<{ clusters: ClusterFinding[]; clusterOf: Map<DetectedSpeck, SpeckCluster>; candidateCentres: Point[] }> {
  const toOriginal = (p: Point) => image.transform.toOriginal(p);
  const candidates = candidateClusters(specks, image, spacingMm, { ...params, minSpecks: reducer.minSpecks, minComponents: reducer.minComponents });
  const presenceLogits = await regionLogitsOf('presence', reducer.model.region, candidates.map((c) => c.centre), image, scoreRegions);
  const kept = candidates
    .map((candidate, k) => ({
      ...candidate,
      probability: clusterFilterProbability(
        reducer.model,
        candidate.features,
        presenceLogits?.[k],
        reducer.model.stage ? memberStageLogit(candidate.specks) : undefined,
      ),
    }))
    .filter((candidate) => candidate.probability >= reducer.floor);
  const regionLogits = await regionLogitsOf('malignancy', classifier.region, kept.map((k) => k.centre), image, scoreRegions);
  const clusterOf = new Map<DetectedSpeck, SpeckCluster>();
  const clusters = kept.map(({ specks: group, centre, probability }, k) => {
    const cluster: SpeckCluster = { probability, floor: reducer.floor };
    for (const s of group) clusterOf.set(s, cluster);
    const discs = group.map((s) => ({ x: s.x, y: s.y, radius: s.diameterMm / 2 / spacingMm }));
    const margin = params.outlineMarginMm / spacingMm;
    const ellipse = clusterEllipse(discs, margin);
    const input = classifierInputFromDetected(group, nippleWorking, spacingMm);
    const nature = classifyCluster(classifier, input.specks, input.nippleMm, regionLogits?.[k]);
    const finding: Omit<ClusterFinding, 'index'> = {
      center: toOriginal(centre),
      outline: clusterOutline(discs, margin).map(toOriginal),
      ellipse: mapEllipse(ellipse, toOriginal),
      calcifications: group.map((s) => ({
        center: toOriginal({ x: s.x, y: s.y }),
        diameterMm: s.diameterMm,
        score: speckCertainty(certainty, s, cluster),
      })),
      detectionScore: probability,
      malignancy: nature.malignancy,
      morphology: nature.morphology,
      distribution: nature.distribution,
      explanation: nature.explanation,
    };
    return finding;
  });
  const numbered = clusters
    .sort((a, b) => b.detectionScore - a.detectionScore || a.center.y - b.center.y || a.center.x - b.center.x)
    .map((c, i) => ({ index: i + 1, ...c }));
  return { clusters: numbered, clusterOf, candidateCentres: candidates.map((c) => toOriginal(c.centre)) };
}

/** Runs one cluster-region CNN on count × size × size working-grid windows. */
export type ScoreRegions = (model: RegionModelName, patches: Float32Array, size: number) => Promise<Float32Array>;

/** A region CNN's logit for each centre (working grid), or undefined when the model file names none. */
async function regionLogitsOf(
  model: RegionModelName,
  entry: RegionModelEntry | undefined,
  centres: Point[],
  image: FilterImage,
  scoreRegions?: ScoreRegions,
): Promise<Float32Array | undefined> {
  if (!entry || centres.length === 0) return undefined;
  if (!scoreRegions) throw new Error(`the ${model} cluster-region CNN (${entry.file}) is named and no one runs it`);
  const size = entry.patchSize;
  const patches = new Float32Array(centres.length * size * size);
  centres.forEach((c, i) => cutRegion(image, c, size, patches.subarray(i * size * size, (i + 1) * size * size)));
  return scoreRegions(model, patches, size);
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
