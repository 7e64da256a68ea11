/**
 * What the status page shows of a study: UIDs, states and finding counts only (the page is an
 * operator's view; it carries no patient names or IDs).
 */
export interface StudyStatus {
  studyUid: string;
  /** Pipeline state of the study, e.g. receiving, settling, reporting, reported, exported, failed. */
  state: string;
  /** ISO time of the last change (arrival of an image, a finished stage). */
  updatedAt?: string;
  /** Number of clusters found in the whole study, once known. */
  clusterCount?: number;
  /** Highest probability of cancer of any cluster, 0..1, once known. */
  maxProbability?: number;
  instances: InstanceStatus[];
  /** Where each produced object went, e.g. "ORTHANC@pacs:4242 mammoCadSr: delivered". */
  exports?: ExportStatus[];
}

export interface ExportStatus {
  destination: string;
  object: string;
  /** queued, delivered or failed. */
  outcome: string;
  detail?: string;
}

export interface InstanceStatus {
  sopInstanceUid: string;
  /** e.g. "R CC", "L MLO", when the image has been read. */
  label?: string;
  /** e.g. received, analysing, analysed, acknowledged, failed. */
  state: string;
  /** True when the image was read and could not be analysed (its reason is in `state`): no findings will come. */
  notAnalysable?: boolean;
  /** True when the image was left out by configuration (an implant view; the reason is in `state`): no findings will come. */
  notAnalysed?: boolean;
  clusterCount?: number;
  maxProbability?: number;
}

/** Where the status page reads studies and thumbnails from (the study index and the report renderer). */
export interface StudyStatusSource {
  recentStudies(limit: number): Promise<StudyStatus[]>;
  /**
   * A PNG of the image with its CAD marks drawn, scaled to fit `maxSize` pixels; undefined when the
   * image is unknown. Absent while no renderer is wired: the page shows a placeholder instead.
   */
  renderThumbnail?(studyUid: string, sopInstanceUid: string, maxSize: number): Promise<Buffer | undefined>;
  /** The stored file of an image, for the audit trail of who viewed it; with renderThumbnail. */
  imageFile?(studyUid: string, sopInstanceUid: string): Promise<string | undefined>;
  /** Why there are no thumbnails, shown in their place when `renderThumbnail` is absent. */
  thumbnailsOff?: string;
}
