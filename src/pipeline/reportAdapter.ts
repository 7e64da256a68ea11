import type { StudyFindings } from '../findings/types';
import type { ReportObjectKind } from '../queue/jobTypes';

/** A source image header as dcmjs naturalises it (no pixel data). */
export type SourceHeader = Record<string, unknown>;

export interface ReportWriterOptions {
  operatingPoint: number;
}

/** writeReports from src/report: builds the three objects, returns their file paths. */
export type ReportWriter = (
  study: StudyFindings,
  sourceHeaders: SourceHeader[],
  outDir: string,
  opts: ReportWriterOptions,
) => Promise<Partial<Record<ReportObjectKind, string>>>;

/**
 * TEMPORARY ADAPTER until src/report/writeReports.ts lands: resolves the documented interface at
 * run time. Replace by a static import once the module is in the tree.
 */
export function loadReportWriter(): ReportWriter {
  const modulePath = '../report/writeReports';
  const mod = require(modulePath) as Partial<{ writeReports: (...args: unknown[]) => unknown }>;
  if (typeof mod.writeReports !== 'function') throw new Error('src/report/writeReports does not export writeReports');
  const writeReports = mod.writeReports;
  return async (study, headers, outDir, opts) =>
    (await writeReports(study, headers, outDir, opts)) as Partial<Record<ReportObjectKind, string>>;
}
