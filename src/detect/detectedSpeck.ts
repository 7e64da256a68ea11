/** One calcification candidate found on the heatmap, in working-grid pixels (x = column, y = row). */
export interface DetectedSpeck {
  x: number;
  y: number;
  areaPx: number;
  /** Equivalent-circle diameter in mm. */
  diameterMm: number;
  /** Highest heatmap probability in the component, 0..1. */
  score: number;
  /** Mean image value in the component minus that of a ring around it (working-grid units). */
  contrast: number;
  /** Major/minor axis ratio from second moments (1 = round); 1 for components too small to tell. */
  elongation: number;
  /** Direction of the major axis in radians (image axes, y down). */
  orientation: number;
  /** Label of the heatmap component it came from: shared by the specks split out of one component
   * (splitAtPeaks.ts), unique otherwise. Only equality between specks of one image means anything. */
  component: number;
  /** Set on a joiner: a speck below the speck threshold but at or above the join threshold
   * (joinerSpecks.ts). It counts only inside a group that already has two specks above the threshold. */
  joiner?: true;
  /** The speck stage's logit that it is a calcification, one per network in its file
   * (speckStage.ts); set where the image's speck certainty reads the stage. */
  stageLogits?: number[];
}
