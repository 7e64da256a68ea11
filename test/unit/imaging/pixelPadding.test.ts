import { prepareDecoded } from '../../../src/imaging';
import { readImageHeader } from '../../../src/imaging/imageHeader';
import { paddingToBackground, pixelPaddingRange } from '../../../src/imaging/pixelPadding';
import { syntheticDecodedImage } from '../../helpers/imaging/syntheticDecodedImage';

describe('pixel padding', () => {
  it('reads the padding range, signed where the pixels are signed', () => {
    expect(readImageHeader({ PixelPaddingValue: 0 }).pixelPadding).toEqual({ low: 0, high: 0 });
    expect(readImageHeader({ PixelPaddingValue: 4095, PixelPaddingRangeLimit: 4000 }).pixelPadding).toEqual({
      low: 4000,
      high: 4095,
    });
    expect(readImageHeader({ PixelPaddingValue: 65535, PixelRepresentation: 1 }).pixelPadding).toEqual({
      low: -1,
      high: -1,
    });
    expect(readImageHeader({ PixelPaddingValue: 65535, PixelRepresentation: 0 }).pixelPadding).toEqual({
      low: 65535,
      high: 65535,
    });
    expect(readImageHeader({}).pixelPadding).toBeUndefined();
    expect(pixelPaddingRange(undefined, 7)).toBeUndefined();
  });

  it('sets only border-connected padding to the least attenuating value, keeping a saturated speck inside', () => {
    const width = 8;
    const height = 6;
    const stored = new Uint16Array(width * height).fill(500);
    for (let y = 0; y < height; y++) stored[y * width + 7] = 0; // a padded right-hand column
    stored[2 * width + 3] = 0; // inside, the same value: a saturated speck
    stored[4 * width + 1] = 100; // the darkest real pixel
    const calibrated = Float32Array.from(stored, (v) => -v); // MONOCHROME1: 0 is the most attenuating
    expect(paddingToBackground(calibrated, stored, width, height, { low: 0, high: 0 })).toBe(height);
    for (let y = 0; y < height; y++) expect(calibrated[y * width + 7]).toBe(-500);
    expect(calibrated[2 * width + 3]).toBe(-0);
    expect(paddingToBackground(calibrated, stored, width, height, { low: 1, high: 99 })).toBe(0);
  });

  it('keeps a frame padded with the most attenuating value out of the breast mask', () => {
    const rows = 300;
    const columns = 240;
    const { decoded, header } = syntheticDecodedImage({ rows, columns, spacingMm: 0.07 });
    // As a MONOCHROME1 image: inverted, then a 20-pixel frame padded with 0 (displayed white).
    const pixels = decoded.pixels as Uint16Array;
    for (let i = 0; i < pixels.length; i++) pixels[i] = 4095 - pixels[i];
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < columns; x++)
        if (x < 20 || y < 20 || x >= columns - 20 || y >= rows - 20) pixels[y * columns + x] = 0;
    const monochrome1 = { ...header, photometricInterpretation: 'MONOCHROME1' };
    const options = { workingSpacingMm: 0.07, defaultSpacingMm: 0.1 };
    const breastOf = (r: ReturnType<typeof prepareDecoded>) => {
      if (!r.ok) throw new Error(r.reason);
      return r.image.mask;
    };
    const withPadding = breastOf(
      prepareDecoded(decoded, { ...monochrome1, pixelPadding: { low: 0, high: 0 } }, options),
    );
    const frame = (mask: Uint8Array) =>
      mask[5 * columns + columns / 2] + mask[(rows - 5) * columns + columns / 2];
    expect(frame(withPadding)).toBe(0);
    expect(withPadding[(rows / 2) * columns + 40]).toBe(1); // the breast is still found
    // Without the padding attribute the frame reads as tissue.
    expect(frame(breastOf(prepareDecoded(decoded, monochrome1, options)))).toBe(2);
  });
});
