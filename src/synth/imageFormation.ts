import type { AttenuationImage } from './attenuationImage';
import type { Photometric, PresentationIntent } from './dicom/mammoDataset';
import {
  breastWindow,
  DEFAULT_DETECTOR,
  invertStoredValues,
  measureAttenuation,
  presentationValues,
  processingValues,
  type DetectorSettings,
} from './detectorModel';

export interface StoredImage {
  pixels: Uint16Array;
  photometric: Photometric;
  window?: { center: number; width: number };
}

/**
 * Attenuation map → stored values of a For Presentation (log, MONOCHROME2 or 1) or For Processing
 * (linear dose, MONOCHROME1) image, with quantum noise drawn from `seed`.
 */
export function formStoredImage(
  image: AttenuationImage,
  intent: PresentationIntent,
  photometric: Photometric,
  seed: number,
  detector: DetectorSettings = DEFAULT_DETECTOR,
  measured: Float32Array = measureAttenuation(image, detector, seed),
): StoredImage {
  const { bitsStored } = detector;
  if (intent === 'FOR PROCESSING') {
    // Raw dose: dense tissue has low values, shown white under MONOCHROME1.
    return { pixels: processingValues(measured, bitsStored), photometric: 'MONOCHROME1' };
  }
  const monochrome2 = presentationValues(measured, bitsStored, image.breastMask);
  const pixels = photometric === 'MONOCHROME1' ? invertStoredValues(monochrome2, bitsStored) : monochrome2;
  return { pixels, photometric, window: breastWindow(pixels, image.breastMask) };
}
