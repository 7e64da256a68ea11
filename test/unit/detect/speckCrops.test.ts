import { cutSpeckCrops, SPECK_CROP_FLOATS, SPECK_CROP_PX } from '../../../src/detect/speckCrops';

const PLANE = SPECK_CROP_PX * SPECK_CROP_PX;

/** A width × height working grid: the image a left-to-right ramp, the heatmap 0 but at `hot`. */
function source(width: number, height: number, hot: { x: number; y: number }[]) {
  const pixels = new Float32Array(width * height);
  const heatmap = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = x;
  hot.forEach((p, i) => (heatmap[p.y * width + p.x] = 0.9 - i * 0.1));
  return { pixels, heatmap, width, height };
}

describe('speck crops', () => {
  it('centres each crop on the heatmap maximum within 2 px, the image channel relative to its mean in units of 0.2', () => {
    const src = source(100, 80, [{ x: 42, y: 31 }]);
    const crops = cutSpeckCrops(src, [{ x: 40.4, y: 30.2 }]);
    expect(crops.length).toBe(SPECK_CROP_FLOATS);
    const heat = crops.subarray(PLANE, 2 * PLANE);
    // The maximum at (42, 31) lands at the crop's centre pixel (16, 16).
    expect(heat[16 * SPECK_CROP_PX + 16]).toBeCloseTo(0.9, 6);
    expect(heat.reduce((n, v) => n + (v > 0 ? 1 : 0), 0)).toBe(1);
    // Columns 26..57 of the ramp, mean 41.5: the crop's first column is (26 − 41.5) / 0.2.
    expect(crops[0]).toBeCloseTo((26 - 41.5) / 0.2, 4);
    expect(crops[SPECK_CROP_PX - 1]).toBeCloseTo((57 - 41.5) / 0.2, 4);
  });

  it('adds a wider view on the same centre: 64 px, the image averaged and the heatmap at its maximum over 2 × 2 blocks', () => {
    // A second speck 20 px to the right: outside the 32 px crop, inside the 64 px view.
    const src = source(120, 80, [{ x: 42, y: 31 }, { x: 62, y: 31 }]);
    const crops = cutSpeckCrops(src, [{ x: 42, y: 31 }]);
    const [heat, wideImage, wideHeat] = [1, 2, 3].map((c) => crops.subarray(c * PLANE, (c + 1) * PLANE));
    expect(heat.reduce((n, v) => n + (v > 0 ? 1 : 0), 0)).toBe(1);
    // Blocks of rows 31 − 32 + 2r.. and columns 42 − 32 + 2k..: each speck keeps its full height.
    expect(wideHeat[16 * SPECK_CROP_PX + 16]).toBeCloseTo(0.9, 6);
    expect(wideHeat[16 * SPECK_CROP_PX + 26]).toBeCloseTo(0.8, 6);
    expect(wideHeat.reduce((n, v) => n + (v > 0 ? 1 : 0), 0)).toBe(2);
    // Columns 10..73 of the ramp, mean 41.5: the first block averages 10 and 11, the last 72 and 73.
    expect(wideImage[0]).toBeCloseTo((10.5 - 41.5) / 0.2, 4);
    expect(wideImage[SPECK_CROP_PX - 1]).toBeCloseTo((72.5 - 41.5) / 0.2, 4);
  });

  it('does not look further than 2 px for the maximum', () => {
    const src = source(100, 80, [{ x: 50, y: 40 }]);
    const heat = cutSpeckCrops(src, [{ x: 46, y: 40 }]).subarray(PLANE);
    // Centred on the speck itself (no maximum near it): the hot pixel lies 4 px to the right.
    expect(heat[16 * SPECK_CROP_PX + 20]).toBeCloseTo(0.9, 6);
  });

  it('mirrors the image at its border without repeating the edge pixel', () => {
    const src = source(40, 40, [{ x: 0, y: 0 }]);
    const crops = cutSpeckCrops(src, [{ x: 0, y: 0 }]);
    // Column offsets −16..15 around x = 0 read columns 16..1, 0, 1..15: symmetric about the centre.
    const row = Array.from(crops.subarray(16 * SPECK_CROP_PX, 17 * SPECK_CROP_PX));
    for (let k = 1; k < 16; k++) expect(row[16 - k]).toBeCloseTo(row[16 + k], 4);
    expect(crops.subarray(PLANE)[0]).toBe(0);
    expect(crops.subarray(PLANE)[16 * SPECK_CROP_PX + 16]).toBeCloseTo(0.9, 6);
  });

  it('cuts one crop per speck, in order', () => {
    const src = source(120, 60, [
      { x: 20, y: 20 },
      { x: 90, y: 30 },
    ]);
    const crops = cutSpeckCrops(src, [
      { x: 90, y: 30 },
      { x: 20, y: 20 },
    ]);
    expect(crops.length).toBe(2 * SPECK_CROP_FLOATS);
    expect(crops[PLANE + 16 * SPECK_CROP_PX + 16]).toBeCloseTo(0.8, 6);
    expect(crops[SPECK_CROP_FLOATS + PLANE + 16 * SPECK_CROP_PX + 16]).toBeCloseTo(0.9, 6);
  });
});
