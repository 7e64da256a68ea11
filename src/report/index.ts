/** The report stage's public surface: builders, file writing and the one-call writer. */
export { buildMammoCadSr, mammographyCadSrSopClass } from './mammoCadSr';
export { buildTid1500Sr, comprehensiveSrSopClass } from './tid1500Sr';
export { buildGsps, grayscaleSoftcopyPresentationStateSopClass } from './gsps';
export { datasetToPart10, part10ToDataset } from '../dicom/datasetFile';
export { writeReports, type ReportPaths } from './writeReports';
export {
  defaultReportOptions,
  type ReportObjectType,
  type ReportOptions,
  type SpeckIntent,
} from './reportOptions';
export type { NaturalDataset } from './naturalDataset';
export { renderMarks, type RenderResult } from './render/renderMarks';
