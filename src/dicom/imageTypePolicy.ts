/**
 * Which images of an analysed SOP class the models are not for, by their Image Type (0008,0008).
 * PS3.3 C.8.11.7.1.4 (Mammography Image Module) leaves Value 3 empty on a conventional 2D view and
 * names there the stereotactic biopsy images (Table C.8-74a) and tomosynthesis images, in Value 4 a
 * generated 2D image (GENERATED_2D: a synthesized mammogram from a tomosynthesis acquisition) and the
 * contrast-enhanced recombinations (ADDITION, SUBTRACTION), in Value 5 the contrast exposure
 * (LOW_ENERGY, HIGH_ENERGY). The detector learnt and was judged on conventional 2D views only.
 */

/**
 * Default of `receiver.notAnalysedImageTypes`. Not listed, so analysed: LOW_ENERGY (a contrast
 * study's low-energy image reads as a conventional mammogram) and the older images whose Value 3 is
 * empty whatever they are (PS3.3 allows that for instances made before the terms were defined).
 */
export const DEFAULT_NOT_ANALYSED_IMAGE_TYPES = [
  // Stereotactic biopsy, 2D (Table C.8-74a): a small field of view with a needle.
  'STEREO_SCOUT',
  'STEREO_MINUS',
  'STEREO_PLUS',
  'PREFIRE_MINUS',
  'PREFIRE_PLUS',
  'POSTFIRE_MINUS',
  'POSTFIRE_PLUS',
  // Tomosynthesis-guided biopsy (Table C.8.21.6-1a; Value 3 holds the biopsy term when both apply).
  'TOMO_SCOUT',
  'PREFIRE',
  'POSTFIRE',
  'POSTBIOPSY',
  'POSTMARKER',
  // Tomosynthesis: single low-dose projections, and 2D images generated from the volume.
  'TOMO_PROJ',
  'TOMOSYNTHESIS',
  'GENERATED_2D',
  // Contrast-enhanced mammography: the recombined (iodine) images and the high-energy exposure.
  'ADDITION',
  'SUBTRACTION',
  'HIGH_ENERGY',
] as const;

/**
 * The terms of `notAnalysed` that the image's Image Type holds from Value 3 on (Values 1 and 2 say
 * ORIGINAL/DERIVED and PRIMARY/SECONDARY, which every kind of image has), in the image's order and
 * joined as stored, e.g. `TOMOSYNTHESIS\GENERATED_2D`; undefined when there are none: analyse it.
 */
export function notAnalysedImageType(imageType: string | undefined, notAnalysed: readonly string[]): string | undefined {
  if (!imageType) return undefined;
  const found = imageType
    .split('\\')
    .slice(2)
    .map((v) => v.trim().toUpperCase())
    .filter((v) => notAnalysed.includes(v));
  return found.length > 0 ? found.join('\\') : undefined;
}
