import { cutRegion, regionOrigin } from '../../../src/classify/clusterRegion';
import { BACKGROUND_VALUE } from '../../../src/imaging/normalizeIntensity';

/** A 10 × 6 image whose pixel value is its index, so every cut says where it came from. */
const image = { width: 10, height: 6, pixels: Float32Array.from({ length: 60 }, (_, i) => i) };

describe('cluster region window', () => {
  it('cuts the size × size pixels centred on the cluster', () => {
    const out = cutRegion(image, { x: 5, y: 3 }, 4);
    // Centre (5, 3), size 4: columns 3-6, rows 1-4.
    expect(Array.from(out.subarray(0, 4))).toEqual([13, 14, 15, 16]);
    expect(Array.from(out.subarray(12, 16))).toEqual([43, 44, 45, 46]);
  });

  it('stays inside the image near its edge instead of padding', () => {
    expect(regionOrigin(image, { x: 0.5, y: 5.5 }, 4)).toEqual({ x0: 0, y0: 2 });
    expect(regionOrigin(image, { x: 9.9, y: 0 }, 4)).toEqual({ x0: 6, y0: 0 });
    const out = cutRegion(image, { x: 9.9, y: 0 }, 4);
    expect(out[0]).toBe(6);
    expect(out[15]).toBe(39);
  });

  it('pads with the background value only where the image is smaller than the window', () => {
    const out = cutRegion(image, { x: 5, y: 3 }, 8);
    // Rows 0-5 hold the image (columns 1-8), rows 6-7 lie beyond it.
    expect(out[0]).toBe(1);
    expect(out[5 * 8 + 7]).toBe(58);
    expect(Array.from(out.subarray(6 * 8))).toEqual(new Array(16).fill(BACKGROUND_VALUE));
  });
});
