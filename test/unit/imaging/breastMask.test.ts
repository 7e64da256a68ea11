import { computeBreastMask } from '../../../src/imaging/mask/breastMask';
import { prepareDecoded } from '../../../src/imaging';
import { syntheticDecodedImage } from '../../helpers/imaging/syntheticDecodedImage';

function toFloat(pixels: ArrayLike<number>): Float32Array {
  return Float32Array.from(pixels);
}

describe('computeBreastMask on synthetic images', () => {
  const rows = 300;
  const columns = 220;

  it('covers the breast, excludes a disconnected burned-in label and the background', () => {
    const label = { x: 190, y: 10, width: 20, height: 12 };
    const { decoded } = syntheticDecodedImage({ rows, columns, label });
    const { mask, areaFraction } = computeBreastMask(toFloat(decoded.pixels), columns, rows);
    let breastInMask = 0;
    let breast = 0;
    let backgroundInMask = 0;
    for (let i = 0; i < mask.length; i++) {
      const v = decoded.pixels[i];
      if (v === 2000) {
        breast++;
        breastInMask += mask[i];
      } else if (v === 100) backgroundInMask += mask[i];
    }
    expect(breastInMask / breast).toBeGreaterThan(0.97);
    expect(backgroundInMask / mask.length).toBeLessThan(0.01);
    for (let y = label.y; y < label.y + label.height; y++)
      for (let x = label.x; x < label.x + label.width; x++) expect(mask[y * columns + x]).toBe(0);
    expect(areaFraction).toBeGreaterThan(0.4);
  });

  it('fills holes (a dark region inside the breast stays breast)', () => {
    const { decoded } = syntheticDecodedImage({ rows, columns });
    const pixels = toFloat(decoded.pixels);
    for (let y = 140; y < 160; y++) for (let x = 40; x < 60; x++) pixels[y * columns + x] = 100;
    const { mask } = computeBreastMask(pixels, columns, rows);
    for (let y = 140; y < 160; y++) for (let x = 40; x < 60; x++) expect(mask[y * columns + x]).toBe(1);
  });

  it('returns an empty mask for a flat image', () => {
    expect(computeBreastMask(new Float32Array(100).fill(7), 10, 10).areaFraction).toBe(0);
  });

  it('sets normalised background to the fixed value and centres the breast', () => {
    const { decoded, header } = syntheticDecodedImage({ rows, columns, spacingMm: 0.07 });
    const r = prepareDecoded(decoded, header, { workingSpacingMm: 0.07, defaultSpacingMm: 0.1 });
    if (!r.ok) throw new Error(r.reason);
    const { pixels, mask } = r.image;
    for (let i = 0; i < pixels.length; i++) if (!mask[i]) expect(pixels[i]).toBe(-4);
    expect(pixels[150 * columns + 30]).toBe(0); // flat tissue = breast median
  });
});
