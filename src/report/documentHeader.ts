import type { StudyFindings } from '../findings/types';
import type { NaturalDataset } from './naturalDataset';
import type { ReportObjectType, ReportOptions } from './reportOptions';
import { algorithmIdentities, type StudyImage } from './studyImages';
import { deterministicUid } from './uids';
import { packageVersion } from '../runtime/packageVersion';

export const manufacturer = 'mammocad';
export const manufacturerModelName = 'mammocad CAD node';

const seriesByObject: Record<ReportObjectType, { number: number; description: string }> = {
  mammoCadSr: { number: 9001, description: 'mammocad Mammography CAD SR' },
  tid1500Sr: { number: 9002, description: 'mammocad Measurement Report (TID 1500)' },
  gsps: { number: 9003, description: 'mammocad CAD marks (GSPS)' },
};

export function seriesNumberOf(type: ReportObjectType): number {
  return seriesByObject[type].number;
}

/**
 * Series and SOP Instance UIDs fixed by (study, object type, algorithm versions, and the UID epoch
 * after a withdrawal): a re-run of the same study with the same models replaces the earlier objects
 * instead of adding copies.
 */
export function objectUids(
  study: StudyFindings,
  type: ReportObjectType,
): { series: string; instance: string } {
  const models = algorithmIdentities(study).join('|');
  const epoch = study.uidEpoch ? [`epoch ${study.uidEpoch}`] : [];
  return {
    series: deterministicUid(study.studyUid, type, models, 'series', ...epoch),
    instance: deterministicUid(study.studyUid, type, models, 'instance', ...epoch),
  };
}

// Patient and study attributes copied verbatim from the source; Type 2 ones are written empty when absent.
const patientStudyType2 = [
  'PatientName',
  'PatientID',
  'PatientBirthDate',
  'PatientSex',
  'StudyDate',
  'StudyTime',
  'ReferringPhysicianName',
  'StudyID',
  'AccessionNumber',
];
const patientStudyOptional = [
  'IssuerOfPatientID',
  'OtherPatientIDsSequence',
  'PatientAge',
  'PatientSize',
  'PatientWeight',
  'StudyDescription',
  'IssuerOfAccessionNumberSequence',
];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

// DICOM dates and times are local time (the study's own are): written in the node's time zone
// (`offsetMinutes` east of UTC), with Timezone Offset From UTC beside them.
const zoneOffsetMinutes = (d: Date) => -d.getTimezoneOffset();
const shifted = (d: Date, offsetMinutes: number) => new Date(d.getTime() + offsetMinutes * 60000);

export function dicomDate(d: Date, offsetMinutes = zoneOffsetMinutes(d)): string {
  const l = shifted(d, offsetMinutes);
  return `${pad(l.getUTCFullYear(), 4)}${pad(l.getUTCMonth() + 1)}${pad(l.getUTCDate())}`;
}

export function dicomTime(d: Date, offsetMinutes = zoneOffsetMinutes(d)): string {
  const l = shifted(d, offsetMinutes);
  return `${pad(l.getUTCHours())}${pad(l.getUTCMinutes())}${pad(l.getUTCSeconds())}`;
}

/** (0008,0201) Timezone Offset From UTC, e.g. "+0100". */
export function timezoneOffset(d: Date, offsetMinutes = zoneOffsetMinutes(d)): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}${pad(Math.abs(offsetMinutes) % 60)}`;
}

/**
 * SOP Common, Patient, General Study, series (without Modality-specific modules) and General
 * Equipment attributes shared by all three objects.
 */
export function commonHeader(
  study: StudyFindings,
  images: StudyImage[],
  type: ReportObjectType,
  sopClassUid: string,
  modality: 'SR' | 'PR',
  options: ReportOptions,
): NaturalDataset {
  const first = images[0]?.header ?? {};
  const now = options.now ?? new Date();
  const uids = objectUids(study, type);
  const ds: NaturalDataset = {
    // dcmjs decodes every source to Unicode and writes UTF-8.
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: sopClassUid,
    SOPInstanceUID: uids.instance,
    InstanceCreationDate: dicomDate(now),
    InstanceCreationTime: dicomTime(now),
    TimezoneOffsetFromUTC: timezoneOffset(now),
    StudyInstanceUID: study.studyUid,
    Modality: modality,
    SeriesInstanceUID: uids.series,
    SeriesNumber: seriesByObject[type].number,
    SeriesDescription: seriesByObject[type].description,
    InstanceNumber: 1,
    Manufacturer: manufacturer,
    ManufacturerModelName: manufacturerModelName,
    SoftwareVersions: [options.softwareVersion ?? packageVersion, ...algorithmIdentities(study)].slice(0, 8),
  };
  copyPatientStudy(first, ds);
  return ds;
}

/** Copies the Patient and General Study attributes every object repeats from its source. */
export function copyPatientStudy(source: NaturalDataset, target: NaturalDataset): void {
  for (const keyword of patientStudyType2) target[keyword] = source[keyword] ?? '';
  for (const keyword of patientStudyOptional) if (source[keyword] !== undefined) target[keyword] = source[keyword];
}

/** Referenced images grouped by series, as Hierarchical SOP Instance Reference items need them. */
export function referencedSeries(images: StudyImage[]): NaturalDataset[] {
  const bySeries = new Map<string, NaturalDataset[]>();
  for (const { source } of images) {
    const list = bySeries.get(source.seriesUid) ?? [];
    list.push({ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.sopInstanceUid });
    bySeries.set(source.seriesUid, list);
  }
  return [...bySeries].map(([seriesUid, sops]) => ({
    SeriesInstanceUID: seriesUid,
    ReferencedSOPSequence: sops,
  }));
}

/** SR Document General Module attributes (PS3.3 C.17.2) shared by both SR documents. */
export function srDocumentGeneral(
  study: StudyFindings,
  images: StudyImage[],
  options: ReportOptions,
): NaturalDataset {
  const now = options.now ?? new Date();
  const ds: NaturalDataset = {
    ContentDate: dicomDate(now),
    ContentTime: dicomTime(now),
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    ReferencedPerformedProcedureStepSequence: [],
    PerformedProcedureCodeSequence: [],
  };
  if (images.length > 0) {
    ds.CurrentRequestedProcedureEvidenceSequence = [
      { StudyInstanceUID: study.studyUid, ReferencedSeriesSequence: referencedSeries(images) },
    ];
  }
  return ds;
}
