import type { PixelMap } from './centreMap';
import type { DetectedSpeck } from './detectedSpeck';
import { extractSpecks, type SpeckExtractionOptions } from './extractSpecks';

/**
 * Specks at the speck threshold, plus joiners: the heatmap components that reach the lower join
 * threshold but nowhere the speck threshold (a hysteresis, as in Canny's edge linking). A joiner
 * only counts inside a group that already has two specks above the threshold (candidateClusters.ts):
 * the third speck of a real film cluster can score just under the threshold (mini-MIAS mdb211 and
 * mdb222 hang on one at 0.81), while a lone faint spot is mostly grain. Joiners keep their own
 * component labels, disjoint from the specks'. Off by default (detectionParameters.ts).
 */
export function extractSpecksWithJoiners(
  heatmap: Float32Array,
  pixels: Float32Array,
  mask: Uint8Array | null,
  width: number,
  height: number,
  options: SpeckExtractionOptions,
  centres: PixelMap | null = null,
): DetectedSpeck[] {
  const specks = extractSpecks(heatmap, pixels, mask, width, height, options, centres);
  const join = options.joinThreshold;
  if (join === undefined || join >= options.threshold) return specks;
  const low = extractSpecks(heatmap, pixels, mask, width, height, { ...options, threshold: join }, centres);
  // A low component that reaches the threshold anywhere is already there as one or more specks.
  const reached = new Set(low.filter((s) => s.score >= options.threshold).map((s) => s.component));
  const offset = specks.reduce((m, s) => Math.max(m, s.component), 0) + 1;
  const joiners = low
    .filter((s) => !reached.has(s.component))
    .map((s): DetectedSpeck => ({ ...s, component: s.component + offset, joiner: true }));
  return [...specks, ...joiners];
}
