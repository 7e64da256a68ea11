import { extractSpecks } from '../../../src/detect/extractSpecks';

function blank(width: number, height: number) {
  return { heat: new Float32Array(width * height), pixels: new Float32Array(width * height).fill(0.4) };
}

describe('extractSpecks', () => {
  it('reduces each 8-connected blob above threshold to one speck with centre, size, contrast and score', () => {
    const w = 40;
    const h = 30;
    const { heat, pixels } = blank(w, h);
    // A 3x3 blob centred at (10, 8) and a diagonal pair (8-connected) at (30,20)-(31,21).
    for (let y = 7; y <= 9; y++) for (let x = 9; x <= 11; x++) {
      heat[y * w + x] = x === 10 && y === 8 ? 0.95 : 0.7;
      pixels[y * w + x] = 0.6;
    }
    heat[20 * w + 30] = 0.8;
    heat[21 * w + 31] = 0.6;
    const specks = extractSpecks(heat, pixels, null, w, h, { threshold: 0.5, spacingMm: 0.07 });
    expect(specks).toHaveLength(2);
    const [a, b] = specks;
    expect(a.x).toBeCloseTo(10.5, 5);
    expect(a.y).toBeCloseTo(8.5, 5);
    expect(a.areaPx).toBe(9);
    expect(a.score).toBeCloseTo(0.95, 5);
    expect(a.diameterMm).toBeCloseTo(2 * Math.sqrt(9 / Math.PI) * 0.07, 6);
    expect(a.contrast).toBeCloseTo(0.2, 5);
    expect(a.elongation).toBeCloseTo(1, 5);
    expect(b.areaPx).toBe(2);
    expect(b.x).toBeCloseTo((30 * 0.8 + 31 * 0.6) / 1.4 + 0.5, 5);
  });

  it('ignores pixels outside the breast mask and components above the size limit', () => {
    const w = 20;
    const h = 20;
    const { heat, pixels } = blank(w, h);
    heat[5 * w + 5] = 0.9;
    const mask = new Uint8Array(w * h);
    expect(extractSpecks(heat, pixels, mask, w, h, { threshold: 0.5, spacingMm: 0.07 })).toHaveLength(0);
    heat.fill(0.9);
    expect(extractSpecks(heat, pixels, null, w, h, { threshold: 0.5, spacingMm: 0.07, maxDiameterMm: 1 })).toHaveLength(0);
  });

  it('measures elongation and orientation of a line', () => {
    const w = 30;
    const h = 30;
    const { heat, pixels } = blank(w, h);
    for (let x = 5; x <= 20; x++) heat[10 * w + x] = 0.9;
    const [line] = extractSpecks(heat, pixels, null, w, h, { threshold: 0.5, spacingMm: 0.07 });
    expect(line.elongation).toBeGreaterThan(10);
    expect(Math.abs(line.orientation)).toBeLessThan(1e-6);
  });
});
