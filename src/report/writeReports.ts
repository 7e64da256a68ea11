import fs from 'node:fs/promises';
import path from 'node:path';
import type { StudyFindings } from '../findings/types';
import { datasetToPart10 } from '../dicom/datasetFile';
import { buildGsps } from './gsps';
import { buildMammoCadSr } from './mammoCadSr';
import type { NaturalDataset } from './naturalDataset';
import { defaultReportOptions, type ReportObjectType, type ReportOptions } from './reportOptions';
import { buildTid1500Sr } from './tid1500Sr';

export type ReportPaths = Record<ReportObjectType, string>;

const builders: Record<ReportObjectType, typeof buildMammoCadSr> = {
  mammoCadSr: buildMammoCadSr,
  tid1500Sr: buildTid1500Sr,
  gsps: buildGsps,
};

/**
 * Builds the three objects for a study and writes each as `<outDir>/<objectType>.dcm`. Files are
 * written to a temporary name and renamed, so a reader never sees half a file; the SOP Instance UIDs
 * are deterministic, so writing again for the same study and models replaces the same objects.
 */
export async function writeReports(
  studyFindings: StudyFindings,
  sourceHeaders: readonly NaturalDataset[],
  outDir: string,
  opts: Partial<ReportOptions> = {},
): Promise<ReportPaths> {
  const options: ReportOptions = { ...defaultReportOptions, ...opts };
  await fs.mkdir(outDir, { recursive: true });
  const paths = {} as ReportPaths;
  for (const type of Object.keys(builders) as ReportObjectType[]) {
    const bytes = datasetToPart10(builders[type](studyFindings, sourceHeaders, options));
    const file = path.join(outDir, `${type}.dcm`);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, file);
    paths[type] = file;
  }
  return paths;
}
