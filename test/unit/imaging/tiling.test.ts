import { tileBreast } from '../../../src/imaging';

function ellipseMask(width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((x / (width * 0.8)) ** 2 + ((y - height / 2) / (height * 0.4)) ** 2 < 1) mask[y * width + x] = 1;
    }
  }
  return mask;
}

describe('tileBreast', () => {
  const width = 700;
  const height = 900;
  const mask = ellipseMask(width, height);

  it('covers every breast pixel with tiles that each hold breast and stay inside the image', () => {
    const tiles = tileBreast({ mask, width, height }, 256, 32);
    const covered = new Uint8Array(width * height);
    for (const t of tiles) {
      expect(t.x).toBeGreaterThanOrEqual(0);
      expect(t.y).toBeGreaterThanOrEqual(0);
      expect(t.x + t.width).toBeLessThanOrEqual(width);
      expect(t.y + t.height).toBeLessThanOrEqual(height);
      expect([t.width, t.height]).toEqual([256, 256]);
      let breast = 0;
      for (let y = t.y; y < t.y + t.height; y++) {
        for (let x = t.x; x < t.x + t.width; x++) {
          covered[y * width + x] = 1;
          breast += mask[y * width + x];
        }
      }
      expect(breast).toBeGreaterThan(0);
    }
    for (let i = 0; i < mask.length; i++)
      if (mask[i] && !covered[i]) throw new Error(`breast pixel ${i} not covered`);
  });

  it('overlaps neighbouring tiles by at least the overlap and skips background-only tiles', () => {
    const tiles = tileBreast({ mask, width, height }, 256, 32);
    const xs = [...new Set(tiles.map((t) => t.x))].sort((a, b) => a - b);
    for (let i = 1; i < xs.length; i++) expect(xs[i] - xs[i - 1]).toBeLessThanOrEqual(256 - 32);
    // The breast spans x < 560 only: no tile starts beyond it.
    expect(Math.max(...tiles.map((t) => t.x))).toBeLessThan(560);
  });

  it('drops tiles without breast inside the bounding box', () => {
    // Two small blobs in opposite corners: the middle of their bounding box is background.
    const w = 1000;
    const m = new Uint8Array(w * w);
    for (let y = 0; y < 50; y++)
      for (let x = 0; x < 50; x++) m[y * w + x] = m[(w - 1 - y) * w + (w - 1 - x)] = 1;
    const tiles = tileBreast({ mask: m, width: w, height: w }, 200, 20);
    expect(tiles).toEqual([
      { x: 0, y: 0, width: 200, height: 200 },
      { x: 800, y: 800, width: 200, height: 200 },
    ]);
  });

  it('clips tiles to small images, returns nothing for an empty mask, rejects bad parameters', () => {
    expect(tileBreast({ mask: new Uint8Array(100).fill(1), width: 10, height: 10 }, 64, 8)).toEqual([
      { x: 0, y: 0, width: 10, height: 10 },
    ]);
    expect(tileBreast({ mask: new Uint8Array(100), width: 10, height: 10 }, 64, 8)).toEqual([]);
    expect(() => tileBreast({ mask, width, height }, 64, 64)).toThrow(RangeError);
  });
});
