import type { CalcificationType } from '../../findings/types';

/**
 * One calcification to draw: where (pixels of the image it goes into), what form, how big and how
 * conspicuous. Renderers read only this, so the study writer, the patch writer and the cluster
 * dataset all share one lesion model.
 */
export interface SpeckPlan {
  type: CalcificationType;
  /** Centre in image pixels (x = column, y = row). */
  x: number;
  y: number;
  /** Width (equivalent diameter) in mm. */
  diameterMm: number;
  /** Length in mm for elongated forms; equals diameterMm for compact ones. */
  lengthMm: number;
  /** Long-axis direction in radians (image x toward image y). */
  angle: number;
  /** Peak contrast after blur, in units of the local tissue noise. */
  cnr: number;
  /** Seeds the shape's irregularity. */
  shapeSeed: number;
  clusterId: number | null;
}
