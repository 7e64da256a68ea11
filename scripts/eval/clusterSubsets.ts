/**
 * The subsets of true clusters that get their own cluster FROC beside the one over all clusters:
 * visible clusters (at least three per-speck targets), clusters in LESIONS.md's sense, and both.
 * A mark that falls only in true clusters outside a subset is neither a hit nor false for it
 * (subsetClusterMark), so each subset keeps its own marks and its own count of true clusters.
 */
import { subsetClusterMark, type TruthCluster } from './evaluationCases';
import type { ScoredMark } from './froc';

export interface ClusterSubset {
  readonly contains: (t: TruthCluster) => boolean;
  readonly marks: ScoredMark[];
  trueClusters: number;
}

export interface ClusterSubsets {
  visible: ClusterSubset;
  birads: ClusterSubset;
  visibleBirads: ClusterSubset;
}

const subset = (contains: (t: TruthCluster) => boolean): ClusterSubset => ({
  contains,
  marks: [],
  trueClusters: 0,
});

export function clusterSubsets(): ClusterSubsets {
  return {
    visible: subset((t) => t.visible === true),
    birads: subset((t) => t.biradsCluster === true),
    visibleBirads: subset((t) => t.biradsCluster === true && t.visible === true),
  };
}

/** Adds one image: its true clusters and its marks (each with the ids of the true clusters it hits). */
export function addImageToSubsets(
  subsets: ClusterSubsets,
  clusters: TruthCluster[],
  marks: ScoredMark[],
): void {
  for (const s of Object.values(subsets)) {
    s.trueClusters += clusters.filter(s.contains).length;
    for (const m of marks) {
      const mark = subsetClusterMark(m.score, m.hits, clusters, s.contains);
      if (mark) s.marks.push(mark);
    }
  }
}
