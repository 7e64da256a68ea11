import type { ImageHeader } from './imageHeader';

/**
 * Why an image with a breast implant in the field is not analysed, or undefined for any other image.
 *
 * The models were never trained or judged on implants, and an implant breaks what the imaging stage
 * assumes of a breast: a large uniform region brighter than any tissue shifts the breast mask and the
 * intensity normalisation, so fatty tissue around it drops out of the mask and the rest is squeezed
 * into a narrower range. With a synthetic implant drawn into the real FFDM sample views, the clusters
 * inserted in the tissue beside it were found a third less often (0.54 to 0.37; models/HISTORY.md,
 * "implant views"): a silently weaker reading. Leaving the implant out of the breast
 * (mask/implantRegion.ts, done for every image that says it holds one) brings that to 0.47, still
 * short. Implant-displaced (Eklund) views push the implant back out of the field and show the tissue
 * as a normal view does: they are analysed. An image that does not say (Breast Implant Present
 * absent) is analysed as before.
 */
export function implantViewReason(header: Pick<ImageHeader, 'breastImplantPresent' | 'implantDisplaced'>): string | undefined {
  if (header.breastImplantPresent !== true || header.implantDisplaced) return undefined;
  return 'not analysed: breast implant in the image (Breast Implant Present YES, not an implant-displaced view); the models are not made for implant views (imaging.analyseImplantViews)';
}
