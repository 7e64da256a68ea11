import { planTiles } from '../../../src/detect/tilePlan';

describe('planTiles', () => {
  it('covers every pixel exactly once with kept regions and skips tiles without breast', () => {
    const width = 1000;
    const height = 700;
    const tiles = planTiles(null, width, height, 256, 16);
    const cover = new Uint8Array(width * height);
    for (const t of tiles) {
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
});
