import { makeImageTransform } from '../../../src/imaging/imageTransform';
import { prepareDecoded, type PreparedImage } from '../../../src/imaging';
import { syntheticDecodedImage } from '../../helpers/imaging/syntheticDecodedImage';

/** Intensity-weighted centroid of (value − background) in a square window, working coordinates. */
function centroid(
  image: PreparedImage,
  near: { x: number; y: number },
  radius: number,
): { x: number; y: number } {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  const cx = Math.round(near.x);
  const cy = Math.round(near.y);
  // Background level: the tissue value at the window's corner.
  const base = image.pixels[(cy - radius) * image.width + (cx - radius)];
  for (let y = cy - radius; y <= cy + radius; y++) {
    for (let x = cx - radius; x <= cx + radius; x++) {
      const w = image.pixels[y * image.width + x] - base;
      if (w <= 0) continue;
      sw += w;
      sx += w * (x + 0.5);
      sy += w * (y + 0.5);
    }
  }
  return { x: sx / sw, y: sy / sw };
}

describe('image transform', () => {
  it.each([false, true])('is exact both ways and maps the corners (flipped %s)', (flipped) => {
    const t = makeImageTransform({
      originalColumns: 300,
      originalRows: 400,
      width: 429,
      height: 571,
      flipped,
    });
    for (const p of [
      { x: 0, y: 0 },
      { x: 12.25, y: 399.5 },
      { x: 300, y: 400 },
      { x: 150.5, y: 17.75 },
    ]) {
      const back = t.toOriginal(t.toWorking(p));
      expect(back.x).toBeCloseTo(p.x, 9);
      expect(back.y).toBeCloseTo(p.y, 9);
    }
    expect(t.toWorking({ x: 0, y: 0 })).toEqual({ x: flipped ? 429 : 0, y: 0 });
    const far = t.toWorking({ x: 300, y: 400 });
    expect(far.x).toBeCloseTo(flipped ? 0 : 429, 9);
    expect(far.y).toBeCloseTo(571, 9);
  });
});

describe('prepareDecoded geometry round trip', () => {
  const cases: [
    string,
    'left' | 'right',
    'L' | 'R' | undefined,
    [string, string] | undefined,
    number,
    boolean,
  ][] = [
    ['L, chest wall left, no orientation', 'left', 'L', undefined, 0.1, false],
    ['R, chest wall right, no orientation (mask decides)', 'right', 'R', undefined, 0.1, true],
    ['R stored chest wall left (mask overrides laterality)', 'left', 'R', undefined, 0.05, false],
    ['Patient Orientation P\\L, chest wall right', 'right', 'R', ['P', 'L'], 0.2, true],
    ['Patient Orientation A\\R, chest wall left', 'left', 'L', ['A', 'R'], 0.07, false],
    ['no laterality, chest wall right, 0.085 mm', 'right', undefined, undefined, 0.085, true],
  ];

  it.each(cases)('%s', (_name, chestWall, laterality, patientOrientation, spacingMm, expectFlip) => {
    const rows = 240;
    const columns = 180;
    // Specks at known original positions on the flat tissue, well inside the breast.
    const specks = [
      { x: chestWall === 'left' ? 40.5 : columns - 40.5, y: 120.25, sigma: 1.5, amplitude: 1500 },
      { x: chestWall === 'left' ? 70.3 : columns - 70.3, y: 80.7, sigma: 2, amplitude: 1500 },
    ];
    const { decoded, header } = syntheticDecodedImage({
      rows,
      columns,
      spacingMm,
      chestWall,
      laterality,
      patientOrientation,
      specks,
    });
    const r = prepareDecoded(decoded, header, { workingSpacingMm: 0.07, defaultSpacingMm: 0.1 });
    if (!r.ok) throw new Error(r.reason);
    const image = r.image;
    expect(image.flipped).toBe(expectFlip);
    expect(image.width).toBe(Math.round((columns * spacingMm) / 0.07));
    expect(image.height).toBe(Math.round((rows * spacingMm) / 0.07));
    // Chest wall at x = 0: the breast fills the left edge column, not the right.
    let left = 0;
    let right = 0;
    for (let y = 0; y < image.height; y++) {
      left += image.mask[y * image.width];
      right += image.mask[y * image.width + image.width - 1];
    }
    expect(left).toBeGreaterThan(image.height * 0.5);
    expect(right).toBe(0);
    const scale = spacingMm / 0.07;
    for (const s of specks) {
      const expected = image.transform.toWorking({ x: s.x, y: s.y });
      const found = centroid(image, expected, Math.ceil(4 * s.sigma * scale));
      const back = image.transform.toOriginal(found);
      // Sub-pixel in the original grid.
      expect(Math.abs(back.x - s.x)).toBeLessThan(0.1);
      expect(Math.abs(back.y - s.y)).toBeLessThan(0.1);
    }
  });
});
