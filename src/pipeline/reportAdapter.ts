import type { StudyFindings } from '../findings/types';
import type { ReportObjectKind } from '../queue/jobTypes';
import type { ReportOptions } from '../report/reportOptions';
import { writeReports } from '../report/writeReports';

/** A source image header as dcmjs naturalises it (no pixel data). */
export type SourceHeader = Record<string, unknown>;

/** The report options the pipeline sets from its configuration. */
export type ReportWriterOptions = Pick<ReportOptions, 'operatingPoint' | 'individualCalcifications'>;

/** Builds a study's objects into outDir and returns their file paths (src/report's writeReports). */
export type ReportWriter = (
  study: StudyFindings,
  sourceHeaders: SourceHeader[],
  outDir: string,
  opts: ReportWriterOptions,
) => Promise<Partial<Record<ReportObjectKind, string>>>;

export const reportWriter: ReportWriter = (study, headers, outDir, opts) => writeReports(study, headers, outDir, opts);
