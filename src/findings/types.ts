/**
 * What analysis produces and the reports consume. All coordinates are (x = column, y = row) in the
 * ORIGINAL image's pixel space as received (origin at the top-left corner of the top-left pixel),
 * never in the resampled/flipped working grid.
 */
export interface Point {
  x: number;
  y: number;
}

/** BI-RADS calcification morphology (LESIONS.md); the report maps each to its CID 6011 code. */
export type CalcificationType =
  | 'punctate'
  | 'round'
  | 'amorphous'
  | 'finePleomorphic'
  | 'fineLinear'
  | 'fineLinearBranching'
  | 'coarseHeterogeneous'
  | 'popcorn'
  | 'vascular'
  | 'rim';

/** BI-RADS distribution; the report maps each to its CID 6013 code. */
export type CalcificationDistribution = 'grouped' | 'linear' | 'segmental' | 'regional' | 'diffuse';

export interface CalcificationFinding {
  center: Point;
  /** Equivalent diameter in mm. */
  diameterMm: number;
  /** Speck certainty 0..1 (src/detect/speckCertainty.ts): how likely the mark lies on a
   * calcification, given its heatmap peak and its cluster's score; the SR's Certainty of Finding. */
  score: number;
}

/** Ellipse as two axes, each given by its two end points (SR ELLIPSE order: major ends, minor ends). */
export interface Ellipse {
  majorAxis: [Point, Point];
  minorAxis: [Point, Point];
}

export interface FeatureContribution {
  feature: string;
  value: number;
  /** Signed contribution to the malignancy log-odds. */
  contribution: number;
}

export interface ClusterFinding {
  /** 1-based index within its image, stable for the same input. */
  index: number;
  center: Point;
  /** Closed polygon (last point equals first) around the cluster. */
  outline: Point[];
  ellipse: Ellipse;
  calcifications: CalcificationFinding[];
  /** Detection confidence 0..1 (SR "Certainty of Finding"). */
  detectionScore: number;
  /** Calibrated P(malignant) 0..1 (SR "Probability of cancer"). */
  malignancy: number;
  /** Most likely morphology first. */
  morphology: CalcificationType[];
  distribution: CalcificationDistribution;
  /** The features that drove the malignancy score, largest |contribution| first. */
  explanation: FeatureContribution[];
}

export interface AlgorithmIdentity {
  name: string;
  version: string;
}

/** failed: the image could not be analysed (its content or a fault); notAnalysed: left out by configuration (an implant view). */
export type ImageAnalysisStatus = 'analysed' | 'failed' | 'notAnalysed';

export interface ImageFindings {
  studyUid: string;
  seriesUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
  status: ImageAnalysisStatus;
  /** For status 'failed': "not analysable: <reason>" or the error; for 'notAnalysed': "not analysed: <reason>". */
  failureReason?: string;
  rows: number;
  columns: number;
  laterality?: 'L' | 'R';
  view?: string;
  /**
   * Set when the header held no pixel spacing attribute and the image was analysed at an assumed
   * spacing (mm): every size in mm then rests on that assumption.
   */
  assumedSpacingMm?: number;
  /**
   * Where the assumed spacing came from: a digitised film's Spatial Resolution (0018,1050), or
   * imaging.defaultSpacingMm (imaging/pixelSpacing.ts).
   */
  assumedSpacingFrom?: 'spatialResolution' | 'default';
  clusters: ClusterFinding[];
  /** Maximum cluster malignancy on the image (0 when none). */
  imageScore: number;
  algorithm: AlgorithmIdentity;
  /** Wall time of the analysis in ms. */
  analysisMs?: number;
}

export interface StudyFindings {
  studyUid: string;
  images: ImageFindings[];
  /** Maximum over each breast's clusters. */
  breastScores: { L?: number; R?: number };
  /** Maximum over the exam; absent when no image of it was analysed. */
  examScore?: number;
  /**
   * How often the study's earlier objects were rejected by rejection notes of ours (their UIDs are
   * spent: an archive keeps a rejected UID rejected). 0 or absent for nearly every study.
   */
  uidEpoch?: number;
}
