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
