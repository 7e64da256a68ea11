import type { CalcificationDistribution, CalcificationType, Point } from './types';

/**
 * Ground truth the synthetic generator writes beside each image as `<name>.truth.json`.
 * Coordinates in the original pixel grid of that image (x = column, y = row).
 */
export interface GroundTruthSpeck {
  x: number;
  y: number;
  /** Equivalent diameter in mm (for elongated forms: the width). */
  diameterMm: number;
  /** Length in mm for linear/branching segments; equals diameterMm for round forms. */
  lengthMm: number;
  type: CalcificationType;
  /** Contrast-to-noise ratio of the inserted speck against local tissue noise. */
  cnr: number;
  /** null for an isolated speck. */
  clusterId: number | null;
  /**
   * Forms that are more than one blob only: where their calcium runs, in image pixels. A polyline per
   * rod (fine linear, a branch, each wall of a vessel), the circle of a rim's shell, a one-point line
   * per grain (coarse heterogeneous) or lump (popcorn). A mark near any part of it is on the speck.
   * Absent in truth files written before 2026-12-02.
   */
  skeleton?: Point[][];
}

export interface GroundTruthCluster {
  id: number;
  center: Point;
  /** Closed polygon enclosing every speck of the cluster. */
  outline: Point[];
  morphology: CalcificationType;
  distribution: CalcificationDistribution;
  pathology: 'benign' | 'malignant';
}

/**
 * A place in the image that holds a real finding the truth does not list: a calcification the real
 * reference tissue already had before synthetic ones were inserted. Marks there that hit no listed
 * speck or cluster are neither hits nor false marks (`npm run eval`).
 */
export interface UnlabelledRegion {
  center: Point;
  radiusMm: number;
  /** What is there and who judged it, for the reader of the truth file. */
  what: string;
}

export interface GroundTruth {
  version: 1;
  seed: number;
  sopInstanceUid?: string;
  rows: number;
  columns: number;
  /** [row spacing, column spacing] in mm. */
  pixelSpacingMm: [number, number];
  laterality: 'L' | 'R';
  view: 'CC' | 'MLO';
  tissue: string;
  specks: GroundTruthSpeck[];
  clusters: GroundTruthCluster[];
  /** Absent where the tissue holds no known real finding (all synthetic tissue). */
  unlabelled?: UnlabelledRegion[];
}
