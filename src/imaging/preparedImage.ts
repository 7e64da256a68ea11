import type { Jpeg2000DecoderChoice } from './decode/decoderRegistry';
import type { ImageTransform } from './imageTransform';
import type { ImageHeader } from './imageHeader';
import type { SpacingSource } from './pixelSpacing';

/**
 * An image ready for the detector, on the working grid:
 * - ORIENTATION: chest wall on the LEFT (x = 0), nipple toward +x, rows top to bottom as stored.
 * - INTENSITY: see normalizeIntensity.ts (higher = more attenuating, breast median 0, robust unit
 *   spread, background a fixed value).
 * - COORDINATES: `transform` maps exactly between this grid and the original pixel grid.
 */
export interface PreparedImage {
  /** Row-major, width × height. */
  pixels: Float32Array;
  width: number;
  height: number;
  /** Working spacing in mm (both axes). */
  workingSpacingMm: number;
  /** 1 = breast tissue, 0 = background, labels, markers. */
  mask: Uint8Array;
  transform: ImageTransform;
  /** Where originalSpacingMm came from (pixelSpacing.ts); isAssumedSpacing tells a guess from a header attribute. */
  spacingSource: SpacingSource;
  /** [row, column] spacing of the original grid in mm (the assumed one when flagged). */
  originalSpacingMm: [number, number];
  /** True when the original was mirrored left-right to put the chest wall at x = 0. */
  flipped: boolean;
  header: ImageHeader;
}

/**
 * `notAnalysed`: left out by configuration (an implant view), not a fault of the image or the node.
 * `header`: where it could be read, so the findings of an image not analysed still name it.
 */
export type PrepareResult = { ok: true; image: PreparedImage } | { ok: false; reason: string; notAnalysed?: true; header?: ImageHeader };

export interface PrepareOptions {
  workingSpacingMm: number;
  defaultSpacingMm: number;
  /** Unset: 'auto' (opj_decompress where installed). */
  jpeg2000Decoder?: Jpeg2000DecoderChoice;
  /** Analyse views with a breast implant in the field (implantViewPolicy.ts); unset: they are not analysed. */
  analyseImplantViews?: boolean;
}
