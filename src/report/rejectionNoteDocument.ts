import { KEY_OBJECT_SELECTION_SOP_CLASS, REJECTION_TITLES } from '../rejection/rejectionNote';
import { codes } from './codes';
import { codeSequenceItem, compositeItem, imageItem, textItem, type ContentItem } from './contentItems';
import { packageVersion } from '../runtime/packageVersion';
import { copyPatientStudy, dicomDate, dicomTime, manufacturer, manufacturerModelName, timezoneOffset } from './documentHeader';
import type { NaturalDataset } from './naturalDataset';
import { deterministicUid } from './uids';

export interface RejectedObject {
  seriesUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
}

export interface RejectionNoteInput {
  /** One of REJECTION_TITLES' codes, e.g. 113037 (Rejected for Patient Safety Reasons). */
  titleCode: string;
  studyUid: string;
  /** Patient and study attributes, copied as every object of the study carries them. */
  studyHeader: NaturalDataset;
  /** The objects rejected, all of the one study. */
  objects: RejectedObject[];
  /** Key Object Description: why, in words. */
  description?: string;
  now?: Date;
}

const SERIES_NUMBER = 9004;

/** SR documents and presentation states are referenced as COMPOSITE, everything else as IMAGE. */
function referenceItem(object: RejectedObject): ContentItem {
  const nonImage = /^1\.2\.840\.10008\.5\.1\.4\.1\.1\.(88|11)\./.test(object.sopClassUid);
  return nonImage ? compositeItem('CONTAINS', object) : imageItem('CONTAINS', object);
}

/**
 * An IHE IOCM rejection note: a Key Object Selection Document (PS3.3 A.35.4, TID 2010) whose title
 * rejects the objects it references. Its UIDs follow from the study, title and objects, so the same
 * rejection written twice is one document.
 */
export function buildRejectionNote(input: RejectionNoteInput): NaturalDataset {
  const title = REJECTION_TITLES[input.titleCode];
  if (!title) throw new Error(`not a rejection note title: ${input.titleCode}`);
  if (input.objects.length === 0) throw new Error('a rejection note references at least one object');
  const now = input.now ?? new Date();
  const sops = input.objects.map((o) => o.sopInstanceUid).sort();
  const bySeries = new Map<string, NaturalDataset[]>();
  for (const o of input.objects) {
    const list = bySeries.get(o.seriesUid) ?? [];
    list.push({ ReferencedSOPClassUID: o.sopClassUid, ReferencedSOPInstanceUID: o.sopInstanceUid });
    bySeries.set(o.seriesUid, list);
  }
  const content: ContentItem[] = [];
  if (input.description) content.push(textItem('CONTAINS', codes.keyObjectDescription, input.description));
  content.push(...input.objects.map(referenceItem));
  const ds: NaturalDataset = {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: KEY_OBJECT_SELECTION_SOP_CLASS,
    SOPInstanceUID: deterministicUid(input.studyUid, 'rejection note', input.titleCode, ...sops),
    InstanceCreationDate: dicomDate(now),
    InstanceCreationTime: dicomTime(now),
    TimezoneOffsetFromUTC: timezoneOffset(now),
    StudyInstanceUID: input.studyUid,
    Modality: 'KO',
    SeriesInstanceUID: deterministicUid(input.studyUid, 'rejection note', 'series'),
    SeriesNumber: SERIES_NUMBER,
    SeriesDescription: 'mammocad rejection notes',
    ReferencedPerformedProcedureStepSequence: [],
    Manufacturer: manufacturer,
    ManufacturerModelName: manufacturerModelName,
    SoftwareVersions: packageVersion,
    InstanceNumber: 1,
    ContentDate: dicomDate(now),
    ContentTime: dicomTime(now),
    CurrentRequestedProcedureEvidenceSequence: [
      {
        StudyInstanceUID: input.studyUid,
        ReferencedSeriesSequence: [...bySeries].map(([seriesUid, refs]) => ({ SeriesInstanceUID: seriesUid, ReferencedSOPSequence: refs })),
      },
    ],
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [codeSequenceItem({ value: input.titleCode, scheme: 'DCM', meaning: title })],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '2010' }],
    ContentSequence: content,
  };
  copyPatientStudy(input.studyHeader, ds);
  return ds;
}
