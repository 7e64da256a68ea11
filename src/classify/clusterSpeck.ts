import type { DetectedSpeck } from '../detect/detectedSpeck';

/**
 * One calcification as the classifier sees it, in millimetres on an isotropic grid (detected specks
 * and ground-truth specks both map to this, so training and inference compute the same features).
 */
export interface ClusterSpeck {
  xMm: number;
  yMm: number;
  diameterMm: number;
  /** Brightness above the surroundings, any consistent unit (only its variation is used). */
  contrast: number;
  /** Length / width, 1 for round. */
  elongation: number;
}

/** Detected specks (working grid, spacingMm per pixel) as the classifier sees them. */
export function clusterSpecksFromDetected(specks: DetectedSpeck[], spacingMm: number): ClusterSpeck[] {
  return specks.map((s) => ({
    xMm: s.x * spacingMm,
    yMm: s.y * spacingMm,
    diameterMm: s.diameterMm,
    contrast: s.contrast,
    elongation: s.elongation,
  }));
}
