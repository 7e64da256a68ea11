import { resampleImage } from '../../../src/imaging/resample';

describe('resampleImage', () => {
  it('returns the same array when the size does not change', () => {
    const src = Float32Array.from([1, 2, 3, 4]);
    expect(resampleImage(src, 2, 2, 2, 2)).toBe(src);
  });

  it('keeps a constant image constant, enlarging and shrinking', () => {
    const src = new Float32Array(30 * 20).fill(5);
    for (const [w, h] of [
      [43, 29],
      [21, 14],
      [30, 7],
    ]) {
      const out = resampleImage(src, 30, 20, w, h);
      expect(out.length).toBe(w * h);
      for (const v of out) expect(v).toBeCloseTo(5, 5);
    }
  });

  it('reproduces a linear ramp exactly inside the image when enlarging (bilinear)', () => {
    const src = new Float32Array(10);
    for (let x = 0; x < 10; x++) src[x] = x + 0.5; // value = continuous coordinate of the pixel centre
    const out = resampleImage(src, 10, 1, 25, 1);
    const scale = 25 / 10;
    for (let j = 2; j < 23; j++) expect(out[j]).toBeCloseTo((j + 0.5) / scale, 4);
  });

  it('area-averages when shrinking (the mean is preserved, a speck is averaged not skipped)', () => {
    const src = new Float32Array(9 * 9);
    src[4 * 9 + 4] = 81;
    const out = resampleImage(src, 9, 9, 3, 3);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 9, 0, 0, 0, 0]);
    const src2 = new Float32Array(10 * 1).map((_, i) => i);
    const out2 = resampleImage(src2, 10, 1, 4, 1); // blocks of 2.5 pixels
    expect(out2.reduce((a, b) => a + b, 0) / 4).toBeCloseTo(4.5, 5);
    expect(out2[0]).toBeCloseTo((0 + 1 + 0.5 * 2) / 2.5, 5);
  });
});
