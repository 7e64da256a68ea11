import { codes } from './codes';
import { codeItem, type ContentItem, dateItem, imageItem, numItem, textItem, timeItem } from './contentItems';
import type { SourceImage } from './sourceImage';

/** Which template's value set the Image Laterality comes from. */
export type LateralityStyle = 'breast' | 'generic';

/**
 * The acquisition context of one library image: laterality, view, orientation, dates and pixel
 * spacing, in the order of TID 4020 rows 2-12 (TID 1602 has the same concepts). TID 4020 takes the
 * laterality from CID 6023 (Left breast), TID 1602 from CID 244 (Left).
 */
export function imageAcquisitionContext(
  image: SourceImage,
  style: LateralityStyle = 'breast',
): ContentItem[] {
  const ctx: ContentItem[] = [];
  const rel = 'HAS ACQ CONTEXT' as const;
  if (image.laterality) {
    const left = style === 'breast' ? codes.leftBreast : codes.left;
    const right = style === 'breast' ? codes.rightBreast : codes.right;
    ctx.push(codeItem(rel, codes.imageLaterality, image.laterality === 'L' ? left : right));
  }
  if (image.view) {
    const modifiers = image.viewModifiers.map((m) => codeItem('HAS CONCEPT MOD', codes.imageViewModifier, m));
    ctx.push(codeItem(rel, codes.imageView, image.view, modifiers));
  }
  if (image.patientOrientation) {
    ctx.push(textItem(rel, codes.patientOrientationRow, image.patientOrientation[0]));
    ctx.push(textItem(rel, codes.patientOrientationColumn, image.patientOrientation[1]));
  }
  if (image.studyDate) ctx.push(dateItem(rel, codes.studyDate, image.studyDate));
  if (image.studyTime) ctx.push(timeItem(rel, codes.studyTime, image.studyTime));
  if (image.contentDate) ctx.push(dateItem(rel, codes.contentDate, image.contentDate));
  if (image.contentTime) ctx.push(timeItem(rel, codes.contentTime, image.contentTime));
  if (image.pixelSpacing) {
    // Pixel Spacing is row\column: horizontal spacing is the column value.
    ctx.push(numItem(rel, codes.horizontalPixelSpacing, image.pixelSpacing.column, codes.millimeter));
    ctx.push(numItem(rel, codes.verticalPixelSpacing, image.pixelSpacing.row, codes.millimeter));
  }
  return ctx;
}

/** One IMAGE content item per source image, with its acquisition context, keyed by SOP Instance UID. */
export function imageLibraryEntries(images: SourceImage[]): Map<string, ContentItem> {
  return new Map(
    images.map((image) => [
      image.sopInstanceUid,
      imageItem('CONTAINS', image, imageAcquisitionContext(image)),
    ]),
  );
}
