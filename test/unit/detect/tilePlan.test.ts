import { planTiles } from '../../../src/detect/tilePlan';

describe('planTiles', () => {
  it('covers every pixel exactly once with kept regions and skips tiles without breast', () => {
    const width = 1000;
    const height = 700;
    const tiles = planTiles(null, width, height, 256, 16);
    const cover = new Uint8Array(width * height);
    for (const t of tiles) {
      expect([t.width, t.height]).toEqual([256, 256]);
      expect(t.x + 256).toBeLessThanOrEqual(width);
      expect(t.y + 256).toBeLessThanOrEqual(height);
      expect(t.keepX0).toBeGreaterThanOrEqual(t.x);
      expect(t.keepX1).toBeLessThanOrEqual(t.x + 256);
      for (let y = t.keepY0; y < t.keepY1; y++) for (let x = t.keepX0; x < t.keepX1; x++) cover[y * width + x]++;
    }
    expect(cover.every((c) => c === 1)).toBe(true);

    const mask = new Uint8Array(width * height);
    mask[10 * width + 10] = 1; // breast only in the top-left corner
    expect(planTiles(mask, width, height, 256, 16)).toHaveLength(1);
  });

  it('cuts tiles at the skin line to their breast pixels with margin context, on the tile grid of 8, in steps of 64', () => {
    const width = 1000;
    const height = 700;
    // A half-disc breast against the chest wall at x = 0.
    const mask = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (x * x + (y - 350) ** 2 < 330 ** 2) mask[y * width + x] = 1;
    const margin = 16;
    const tiles = planTiles(mask, width, height, 256, margin);
    const uncut = planTiles(null, width, height, 256, margin);
    const read = new Uint8Array(width * height);
    let cut = 0;
    let shortOfContext = 0;
    for (const t of tiles) {
      const cell = uncut.find((u) => u.keepX0 === t.keepX0 && u.keepY0 === t.keepY0);
      expect(cell).toBeDefined();
      // Inside the uncut tile, on its grid of 8 (the network's coarsest stride), sizes in steps of 64.
      expect(t.x).toBeGreaterThanOrEqual(cell!.x);
      expect(t.y).toBeGreaterThanOrEqual(cell!.y);
      expect(t.x + t.width).toBeLessThanOrEqual(cell!.x + 256);
      expect(t.y + t.height).toBeLessThanOrEqual(cell!.y + 256);
      expect((t.x - cell!.x) % 8).toBe(0);
      expect((t.y - cell!.y) % 8).toBe(0);
      expect(t.width % 64).toBe(0);
      expect(t.height % 64).toBe(0);
      if (t.width * t.height < 256 * 256) cut++;
      // Every breast pixel of the kept region is in the window with margin context (or the tile's edge).
      for (let y = t.keepY0; y < t.keepY1; y++)
        for (let x = t.keepX0; x < t.keepX1; x++) {
          if (!mask[y * width + x]) continue;
          read[y * width + x]++;
          const xOk = x - t.x >= Math.min(margin, x - cell!.x) && t.x + t.width - x > Math.min(margin, cell!.x + 256 - x - 1);
          const yOk = y - t.y >= Math.min(margin, y - cell!.y) && t.y + t.height - y > Math.min(margin, cell!.y + 256 - y - 1);
          if (!xOk || !yOk) shortOfContext++;
        }
    }
    expect(shortOfContext).toBe(0);
    expect(read.every((n, i) => n === mask[i])).toBe(true);
    expect(cut).toBeGreaterThan(0);
    expect(tiles.reduce((a, t) => a + t.width * t.height, 0)).toBeLessThan(0.9 * tiles.length * 256 * 256);
  });
});
