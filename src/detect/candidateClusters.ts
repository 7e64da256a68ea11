import type { Point } from '../findings/types';
import {
  clusterFilterFeatures,
  imageSpeckDensityPerCm2,
  type ClusterFilterFeatures,
  type FilterImage,
} from './clusterFilterFeatures';
import { clusterSpecksWithJoiners } from './clusterSpecks';
import type { DetectedSpeck } from './detectedSpeck';
import type { DetectionParameters } from './detectionParameters';

/** Specks above the speck threshold a group needs before joiners can add to it: a pair, so that a
 * joiner completes a triple but never makes a group of faint spots around one speck. */
const MIN_CORE_SPECKS = 2;

/** One group of specks that may be a cluster, before the false-positive reducer has judged it. */
export interface CandidateCluster {
  specks: DetectedSpeck[];
  /** Mean of the speck centres, working grid. */
  centre: Point;
  features: ClusterFilterFeatures;
}

/**
 * Heatmap components a group of n specks needs: minComponents, but two for a pair. Pairs count
 * because a cluster whose other specks are too faint still shows two separate specks; one blob split
 * at two peaks is more often one object, such as a skin marker or a coarse calcification, than two
 * touching specks (models/HISTORY.md, "0.3.15"). Never more than n, so a single speck can be a
 * candidate where minSpecks allows it.
 */
function componentsNeeded(n: number, minComponents: number): number {
  return Math.min(n, n === 2 ? 2 : minComponents);
}

/**
 * Specks (working grid) → candidate clusters: single-linkage groups of at least params.minSpecks
 * specks from at least params.minComponents heatmap components, two for a pair (the skin-line filter
 * already applied: they are all the image's specks), each with its centre and the filter features. Joiners
 * (joinerSpecks.ts) count only in a group with at least MIN_CORE_SPECKS others; joiners that join
 * no group are dropped. Shared by the production path (buildClusterFindings) and the filter's
 * training, so both see exactly the same candidates.
 */
export function candidateClusters(
  specks: DetectedSpeck[],
  image: FilterImage,
  spacingMm: number,
  params: Pick<DetectionParameters, 'linkDistanceMm' | 'minSpecks' | 'minComponents'>,
): CandidateCluster[] {
  const groups = clusterSpecksWithJoiners(specks, params.linkDistanceMm / spacingMm, MIN_CORE_SPECKS, params.minSpecks).filter(
    (members) => new Set(members.map((i) => specks[i].component)).size >= componentsNeeded(members.length, params.minComponents),
  );
  if (groups.length === 0) return [];
  const density = imageSpeckDensityPerCm2(specks.filter((s) => !s.joiner).length, image.mask, image.width * image.height, spacingMm);
  return groups.map((members) => {
    const group = members.map((i) => specks[i]);
    const centre = {
      x: group.reduce((s, p) => s + p.x, 0) / group.length,
      y: group.reduce((s, p) => s + p.y, 0) / group.length,
    };
    return { specks: group, centre, features: clusterFilterFeatures(group, image, spacingMm, density) };
  });
}
