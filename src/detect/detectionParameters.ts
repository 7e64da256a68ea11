/** Post-processing settings between the heatmap and the reported clusters. */
export interface DetectionParameters {
  /** Heatmap probability for a calcification pixel (0.7: fewer chance clusters than 0.5 at the same
   * cluster FROC on the validation studies, seeds 501-502). */
  speckThreshold: number;
  /** Larger components are tissue or macrocalcifications, not microcalcifications (> 1 mm, LESIONS.md). */
  maxSpeckDiameterMm: number;
  /** Single-linkage distance: specks closer than this belong to one cluster (BI-RADS: within about 1 cm). */
  linkDistanceMm: number;
  /** Fewest specks that make a cluster (BI-RADS 3 in older texts, 5 in the 5th edition). */
  minSpecks: number;
  /** Outline and ellipse margin around the outermost specks. */
  outlineMarginMm: number;
  /** Specks this close to the breast edge (skin line) are ignored. */
  edgeMarginMm: number;
}

export const DEFAULT_DETECTION_PARAMETERS: DetectionParameters = {
  speckThreshold: 0.7,
  maxSpeckDiameterMm: 1.5,
  linkDistanceMm: 5,
  minSpecks: 3,
  outlineMarginMm: 1,
  edgeMarginMm: 1.5,
};
