import type { DetectedSpeck } from '../detect/detectedSpeck';
import type { Point } from '../findings/types';

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

/** What the classifier needs of one detected cluster: its specks and the nipple, both in mm. */
export interface ClassifierInput {
  specks: ClusterSpeck[];
  nippleMm: { x: number; y: number } | null;
}

/**
 * Detected specks and the nipple (working grid, spacingMm per pixel) as the classifier sees them;
 * production and the classifier's training on detected clusters both go through here.
 */
export function classifierInputFromDetected(
  specks: DetectedSpeck[],
  nippleWorking: Point | null,
  spacingMm: number,
): ClassifierInput {
  return {
    specks: specks.map((s) => ({
      xMm: s.x * spacingMm,
      yMm: s.y * spacingMm,
      diameterMm: s.diameterMm,
      contrast: s.contrast,
      elongation: s.elongation,
    })),
    nippleMm: nippleWorking ? { x: nippleWorking.x * spacingMm, y: nippleWorking.y * spacingMm } : null,
  };
}
