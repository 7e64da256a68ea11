import type { ImageHeader } from './imageHeader';

export interface SpacingDecision {
  /** [row spacing, column spacing] in mm, in the plane the analysis measures in. */
  spacingMm: [number, number];
  /** Where it came from; 'default' means nothing usable was in the header (flagged). */
  source: 'pixelSpacing' | 'imagerPixelSpacing' | 'imagerPixelSpacingMagnified' | 'default';
}

/**
 * Spacing for measurement, following PS3.3 10.7.1.3 and C.8.11.7 (Mammography Image): for projection
 * radiographs Imager Pixel Spacing is at the detector; the breast sits nearer the source, so the size
 * at the breast is detector size divided by the Estimated Radiographic Magnification Factor. When the
 * modality filled Pixel Spacing it has already made that correction (the DX/MG "calibrated" case), so
 * Pixel Spacing wins. Otherwise Imager Pixel Spacing, divided by the factor when there is one.
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
  return { spacingMm: [defaultSpacingMm, defaultSpacingMm], source: 'default' };
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
