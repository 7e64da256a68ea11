import { readImageHeader } from '../../imaging/imageHeader';
import { prepareDecoded } from '../../imaging/prepareImage';
import type { PreparedImage } from '../../imaging/preparedImage';
import type { AttenuationImage } from '../attenuationImage';
import { TransferSyntaxUid } from '../../dicom/transferSyntaxUid';
import { buildMammoDataset, studyIdentity, type Photometric, type PresentationIntent } from '../dicom/mammoDataset';
import type { MammoView } from '../dicom/mammoView';
import { DEFAULT_DETECTOR, type DetectorSettings } from '../detectorModel';
import { formStoredImage } from '../imageFormation';

export const WORKING_SPACING_MM = 0.07;
export const DEFAULT_SPACING_MM = 0.1;

/**
 * Runs the real preparation path on a synthetic image: stored values and a DICOM header as the
 * study writer would write them, then the imaging stage's prepareDecoded, so patches are in the
 * detector's input domain (calibration, resampling, mask, flip, normalisation all as in production).
 */
export function preparedFromAttenuation(
  image: AttenuationImage,
  view: MammoView,
  intent: PresentationIntent,
  photometric: Photometric,
  seed: number,
  detector: DetectorSettings = DEFAULT_DETECTOR,
): PreparedImage {
  const stored = formStoredImage(image, intent, photometric, seed, detector);
  const dataset = buildMammoDataset({
    study: studyIdentity(seed),
    view,
    intent,
    photometric: stored.photometric,
    rows: image.height,
    columns: image.width,
    bitsStored: detector.bitsStored,
    spacingMm: image.spacingMm,
    pixels: stored.pixels,
    instanceNumber: 1,
    seriesNumber: 1,
    window: stored.window,
  });
  return prepareStoredValues(dataset, stored.pixels, detector.bitsStored);
}

/** prepareDecoded on stored values and a naturalized dataset; throws with the imaging stage's reason. */
export function prepareStoredValues(dataset: Record<string, unknown>, pixels: Uint16Array, bitsStored: number): PreparedImage {
  const header = readImageHeader(dataset, TransferSyntaxUid.explicitVrLittleEndian);
  const result = prepareDecoded(
    { rows: Number(dataset.Rows), columns: Number(dataset.Columns), pixels, bitsStored, signed: false },
    header,
    { workingSpacingMm: WORKING_SPACING_MM, defaultSpacingMm: DEFAULT_SPACING_MM },
  );
  if (!result.ok) throw new Error(`synthetic image not analysable: ${result.reason}`);
  return result.image;
}
