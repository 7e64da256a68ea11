import type { ImageHeader } from './imageHeader';

export interface SpacingDecision {
  /** [row spacing, column spacing] in mm, in the plane the analysis measures in. */
  spacingMm: [number, number];
  /** Where it came from (isAssumedSpacing: a guess, not a spacing attribute of the header). */
  source: SpacingSource;
}

export type SpacingSource =
  | 'pixelSpacing'
  | 'imagerPixelSpacing'
  | 'imagerPixelSpacingMagnified'
  | 'nominalScannedPixelSpacing'
  | 'spatialResolution'
  | 'default';

/** The sources that are assumptions: the header held no spacing attribute. */
export type AssumedSpacingSource = Extract<SpacingSource, 'spatialResolution' | 'default'>;

/** Whether a spacing source is an assumption rather than a spacing attribute of the header. */
export function isAssumedSpacing(source: SpacingSource): source is AssumedSpacingSource {
  return source === 'spatialResolution' || source === 'default';
}

/** Sampling intervals a film digitiser uses (mm): DDSM's scanners sampled at 42-50 µm, MIAS at 50 µm. */
const FILM_SAMPLING_MM = [0.02, 0.2] as const;

/**
 * Spacing for measurement, following PS3.3 10.7.1.3 and C.8.11.7 (Mammography Image): for projection
 * radiographs Imager Pixel Spacing is at the detector; the breast sits nearer the source, so the size
 * at the breast is detector size divided by the Estimated Radiographic Magnification Factor. When the
 * modality filled Pixel Spacing it has already made that correction (the DX/MG "calibrated" case), so
 * Pixel Spacing wins. Otherwise Imager Pixel Spacing, divided by the factor when there is one. A
 * digitised film (Secondary Capture) may give its sampling on the film as Nominal Scanned Pixel Spacing
 * (C.8.6.2), which, like Imager Pixel Spacing, is a measurement in the film's plane.
 *
 * Without any of them, a digitised film (Conversion Type DF) whose Spatial Resolution is a film
 * digitiser's sampling interval, and puts the image on a film that exists, is read at that interval:
 * digitisers such as those of DDSM (NEMA's MG1 sample: 4664 × 3064, 0.05) record their sampling
 * there and nothing else. It stays an assumption, flagged like the configured default, which is
 * the last resort.
 */
export function decidePixelSpacing(header: ImageHeader, defaultSpacingMm: number): SpacingDecision {
  if (header.pixelSpacing) return { spacingMm: header.pixelSpacing, source: 'pixelSpacing' };
  const imager = header.imagerPixelSpacing;
  if (imager) {
    const m = header.estimatedRadiographicMagnificationFactor;
    if (m !== undefined && m > 0 && m !== 1) {
      return { spacingMm: [imager[0] / m, imager[1] / m], source: 'imagerPixelSpacingMagnified' };
    }
    return { spacingMm: imager, source: 'imagerPixelSpacing' };
  }
  if (header.nominalScannedPixelSpacing) {
    return { spacingMm: header.nominalScannedPixelSpacing, source: 'nominalScannedPixelSpacing' };
  }
  const fromResolution = filmSamplingFromSpatialResolution(header);
  if (fromResolution !== undefined)
    return { spacingMm: [fromResolution, fromResolution], source: 'spatialResolution' };
  return { spacingMm: [defaultSpacingMm, defaultSpacingMm], source: 'default' };
}

function filmSamplingFromSpatialResolution(header: ImageHeader): number | undefined {
  const r = header.spatialResolutionMm;
  if (header.conversionType !== 'DF' || r === undefined) return undefined;
  if (r < FILM_SAMPLING_MM[0] || r > FILM_SAMPLING_MM[1]) return undefined;
  if (header.rows === undefined || header.columns === undefined) return undefined;
  return implausibleField(header.rows, header.columns, [r, r]) === null ? r : undefined;
}

/**
 * The largest field a mammogram shows: the 24 × 30 cm cassette or detector (24 × 30.7 cm at most),
 * with a margin. Short side, long side, mm.
 */
const LARGEST_MAMMOGRAPHY_FIELD_MM = [260, 320] as const;

/**
 * Why a spacing cannot be right for an image of rows × columns, or null: the field it implies is larger
 * than any mammography detector or film. For an assumed spacing, that means the site should set the
 * real one (imaging.defaultSpacingMm): sizes and the working grid would be off by the same factor.
 */
export function implausibleField(rows: number, columns: number, spacingMm: [number, number]): string | null {
  const heightMm = rows * spacingMm[0];
  const widthMm = columns * spacingMm[1];
  const [short, long] = [Math.min(heightMm, widthMm), Math.max(heightMm, widthMm)];
  if (short <= LARGEST_MAMMOGRAPHY_FIELD_MM[0] && long <= LARGEST_MAMMOGRAPHY_FIELD_MM[1]) return null;
  return `${Math.round(widthMm)} x ${Math.round(heightMm)} mm at ${spacingMm[1]} mm per pixel is larger than any mammography detector or film (24 x 30 cm)`;
}
