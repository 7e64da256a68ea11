import type { DetectedSpeck } from './detectedSpeck';

/**
 * Specks at the speck threshold, plus joiners: the heatmap components that reach the lower join
 * threshold but nowhere the speck threshold (a hysteresis, as in Canny's edge linking). A joiner
 * only counts inside a group that already has two specks above the threshold (candidateClusters.ts):
 * the third speck of a real film cluster can score just under the threshold (mini-MIAS mdb211 and
 * mdb222 hang on one at 0.81), while a lone faint spot is mostly grain. Joiners keep their own
 * component labels, disjoint from the specks'. Off by default (detectionParameters.ts).
 *
 * `specks` and `low` are one image's extraction at the threshold and at the join threshold.
 */
export function withJoiners(specks: DetectedSpeck[], low: DetectedSpeck[], threshold: number): DetectedSpeck[] {
  const offset = specks.reduce((m, s) => Math.max(m, s.component), 0) + 1;
  const joiners = belowThreshold(low, threshold).map((s): DetectedSpeck => ({ ...s, component: s.component + offset, joiner: true }));
  return [...specks, ...joiners];
}

/** The specks of an extraction at a lower threshold whose component reaches `threshold` nowhere: a
 * component that does is already there as one or more specks at the threshold. */
export function belowThreshold(low: DetectedSpeck[], threshold: number): DetectedSpeck[] {
  const reached = new Set(low.filter((s) => s.score >= threshold).map((s) => s.component));
  return low.filter((s) => !reached.has(s.component));
}
