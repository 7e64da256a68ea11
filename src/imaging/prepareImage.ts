import { calibrateIntensity } from './calibrateIntensity';
import { decideChestWallSide, flipRows } from './chestWallSide';
import type { DecodedImage } from './decodedImage';
import { decodeDataset } from './decodePixels';
import { readImageHeader, type ImageHeader } from './imageHeader';
import { makeImageTransform } from './imageTransform';
import { implantViewReason } from './implantViewPolicy';
import { computeBreastMask } from './mask/breastMask';
import { findImplantRegion, leaveOutImplant } from './mask/implantRegion';
import { normalizeIntensity } from './normalizeIntensity';
import { isNotAnalysable, notAnalysable } from './notAnalysable';
import { decidePixelSpacing } from './pixelSpacing';
import type { PrepareOptions, PrepareResult } from './preparedImage';
import { paddingToBackground } from './pixelPadding';
import { readDicom } from './readDicom';
import { resampleImage } from './resample';

/** Smallest breast (share of the working image) still worth analysing. */
const MIN_BREAST_FRACTION = 0.005;
/** Fewer pixels than this on a side is a placeholder or icon, not a mammogram (e.g. OpenREM's 1×2). */
const MIN_SIDE_PIXELS = 32;

function fail(reason: string): PrepareResult {
  return { ok: false, reason: notAnalysable(reason).reason };
}

/**
 * Decoded stored values + header → PreparedImage (see preparedImage.ts for the conventions):
 * calibrate (Modality LUT, For Processing log, MONOCHROME1) → resample to the working spacing →
 * breast mask → mirror so the chest wall is at x = 0 → normalise over the breast. Never throws.
 */
export function prepareDecoded(
  decoded: DecodedImage,
  header: ImageHeader,
  opts: PrepareOptions,
): PrepareResult {
  try {
    const rows = decoded.rows;
    const columns = decoded.columns;
    if (
      (header.rows !== undefined && header.rows !== rows) ||
      (header.columns !== undefined && header.columns !== columns)
    ) {
      return fail(`decoded size ${columns}x${rows} differs from header ${header.columns}x${header.rows}`);
    }
    if (decoded.pixels.length !== rows * columns) return fail('pixel count does not match the image size');
    if (rows < MIN_SIDE_PIXELS || columns < MIN_SIDE_PIXELS)
      return fail(`image too small (${columns}x${rows})`);
    if (!(opts.workingSpacingMm > 0) || !(opts.defaultSpacingMm > 0)) return fail('invalid spacing options');

    const spacing = decidePixelSpacing(header, opts.defaultSpacingMm);
    const [rowSpacing, colSpacing] = spacing.spacingMm;
    const width = Math.max(1, Math.round((columns * colSpacing) / opts.workingSpacingMm));
    const height = Math.max(1, Math.round((rows * rowSpacing) / opts.workingSpacingMm));
    if (width * height > 16384 * 16384)
      return fail(`working grid too large (${width}x${height}); check pixel spacing`);

    const calibrated = calibrateIntensity(decoded, header);
    if (header.pixelPadding) paddingToBackground(calibrated, decoded.pixels, columns, rows, header.pixelPadding);
    const pixels = resampleImage(calibrated, columns, rows, width, height);
    // An image that says it holds an implant (an implant-displaced view, or an implant view analysed
    // by imaging.analyseImplantViews): the implant is left out, so the breast mask and the intensity
    // scale follow the tissue.
    const implant = header.breastImplantPresent ? findImplantRegion(pixels, width, height, opts.workingSpacingMm) : undefined;
    if (implant) leaveOutImplant(pixels, implant);
    const breast = computeBreastMask(pixels, width, height);
    if (breast.areaFraction < MIN_BREAST_FRACTION) return fail('no breast tissue found');
    const side = decideChestWallSide(header, breast.mask, width, height);
    if (side.flip) {
      flipRows(pixels, width, height);
      flipRows(breast.mask, width, height);
    }
    normalizeIntensity(pixels, breast.mask);

    return {
      ok: true,
      image: {
        pixels,
        width,
        height,
        workingSpacingMm: opts.workingSpacingMm,
        mask: breast.mask,
        transform: makeImageTransform({
          originalColumns: columns,
          originalRows: rows,
          width,
          height,
          flipped: side.flip,
        }),
        spacingSource: spacing.source,
        originalSpacingMm: spacing.spacingMm,
        flipped: side.flip,
        header,
      },
    };
  } catch (e) {
    return fail(`preparation failed: ${(e as Error).message}`);
  }
}

/**
 * Reads, decodes and prepares a DICOM file. Never throws: failures are "not analysable: <reason>"; an
 * image left out by configuration (an implant view) is "not analysed: <reason>" with notAnalysed set.
 */
export async function prepareImage(path: string, opts: PrepareOptions): Promise<PrepareResult> {
  let header: ImageHeader | undefined;
  const withHeader = (failed: PrepareResult): PrepareResult => (failed.ok || !header ? failed : { ...failed, header });
  try {
    const parsed = readDicom(path);
    if (isNotAnalysable(parsed)) return parsed;
    header = readImageHeader(parsed.dataset, parsed.transferSyntaxUid);
    // Decided from the header alone, before the pixels are decoded.
    const implantView = opts.analyseImplantViews ? undefined : implantViewReason(header);
    if (implantView) return withHeader({ ok: false, reason: implantView, notAnalysed: true });
    const decoded = await decodeDataset(parsed.dataset, header, opts.jpeg2000Decoder);
    if (isNotAnalysable(decoded)) return withHeader(decoded);
    return withHeader(prepareDecoded(decoded, header, opts));
  } catch (e) {
    return withHeader(fail(`preparation failed: ${(e as Error).message}`));
  }
}
