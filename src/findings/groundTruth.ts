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
   * Elongated forms (fine linear, branching, vascular) only: where their calcium runs, as polylines in
   * image pixels (one per rod: a branch, each wall of a vessel). A mark near any point of them is on
   * the speck, not only one near its centre. Absent in truth files written before 2026-12-02.
   */
  centrelines?: Point[][];
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
}
