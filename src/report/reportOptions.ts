/** Which of our three objects; the same names as the export destinations' `objects`. */
export type ReportObjectType = 'mammoCadSr' | 'tid1500Sr' | 'gsps';

/** Rendering intent given to individual calcifications (the specks inside a cluster). */
export type SpeckIntent = 'required' | 'optional' | 'notForPresentation';

export interface ReportOptions {
  /** config inference.operatingPoint: clusters at or above it are Presentation Required. */
  operatingPoint: number;
  /** Rendering intent of each individual calcification; 'omit' leaves them out of the CAD SR. */
  individualCalcifications: SpeckIntent | 'omit';
  /** Content and instance creation date/time; fixed in tests for stable output. */
  now?: Date;
  /** mammocad's own software version (General Equipment Software Versions). */
  softwareVersion?: string;
}

export const defaultReportOptions: ReportOptions = {
  operatingPoint: 0.3,
  individualCalcifications: 'optional',
};
