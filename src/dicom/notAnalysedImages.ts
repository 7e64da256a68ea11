import type { DatasetHeader } from './datasetHeaderScanner';
import { notAnalysedImageType } from './imageTypePolicy';

/** The receiver's rules for images of an analysed SOP class that are not analysed (receiver.*). */
export interface NotAnalysedRules {
  notAnalysedImageTypes: readonly string[];
  analyseQualityControlImages: boolean;
}

/**
 * Why an image of an analysed SOP class is acknowledged without analysis, or undefined: analyse it.
 * Decided from the header as it streams in, by the receiver and again by the spool scan.
 * - Image Type terms the models are not for: biopsy, tomosynthesis, synthesized 2D, recombined
 *   contrast images (imageTypePolicy.ts).
 * - Quality Control Image YES (PS3.3 C.7.6.1, General Image Module): a phantom or calibration image
 *   from a unit's quality control, routed with the patients' images by a rule on the modality. Its
 *   "findings" would be the phantom's test objects, and its results would land in a QC study. BOTH
 *   (a patient and a QC object in one image) is analysed.
 */
export function notAnalysedReason(header: Pick<DatasetHeader, 'imageType' | 'qualityControlImage'>, rules: NotAnalysedRules): string | undefined {
  const imageType = notAnalysedImageType(header.imageType, rules.notAnalysedImageTypes);
  if (imageType) return `Image Type ${imageType}`;
  if (!rules.analyseQualityControlImages && header.qualityControlImage?.trim().toUpperCase() === 'YES') return 'Quality Control Image YES (a phantom or calibration image)';
  return undefined;
}
