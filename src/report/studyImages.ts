import type { ImageFindings, StudyFindings } from '../findings/types';
import type { NaturalDataset } from './naturalDataset';
import { describeSourceImage, type SourceImage } from './sourceImage';

/** One image of the study as the report builders see it: its findings beside its header. */
export interface StudyImage {
  findings: ImageFindings;
  source: SourceImage;
  header: NaturalDataset;
}

/**
 * Pairs every image of the findings with its source header (by SOP Instance UID), in the order of
 * the findings. Every image must have a header: a report must not name images it cannot describe.
 */
export function pairImagesWithHeaders(
  study: StudyFindings,
  headers: readonly NaturalDataset[],
): StudyImage[] {
  const bySop = new Map(headers.map((h) => [String(h.SOPInstanceUID), h]));
  return study.images.map((findings) => {
    const header = bySop.get(findings.sopInstanceUid);
    if (!header) throw new Error(`no source header for image ${findings.sopInstanceUid}`);
    if (header.StudyInstanceUID && header.StudyInstanceUID !== study.studyUid) {
      throw new Error(`image ${findings.sopInstanceUid} belongs to another study`);
    }
    return { findings, source: describeSourceImage(header, findings), header };
  });
}

/** The identity of the algorithms that ran, e.g. "mammocad-detector 1.2.0", sorted and unique. */
export function algorithmIdentities(study: StudyFindings): string[] {
  return [...new Set(study.images.map((i) => `${i.algorithm.name} ${i.algorithm.version}`))].sort();
}
