import { TiledCentreMap } from '../../../src/detect/centreMap';
import { planTiles, type Tile } from '../../../src/detect/tilePlan';

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('TiledCentreMap', () => {
  it('interpolates ½-resolution logits with half-pixel centres, clamped at the tile edge', () => {
    // One 8-pixel tile; logits rise by 1 per ½-resolution column and by 10 per row.
    const tile = { x: 0, y: 0, width: 8, height: 8, keepX0: 0, keepY0: 0, keepX1: 8, keepY1: 8 };
    const logits = Float32Array.from({ length: 16 }, (_, i) => (i % 4) + 10 * Math.floor(i / 4));
    const map = new TiledCentreMap(8, 8, [tile], [logits], 2);
    // Full-resolution pixel d samples the ½-resolution grid at d/2 - 0.25 (F.interpolate, align_corners=False).
    const expected = (x: number, y: number) => {
      const sx = Math.min(Math.max(x / 2 - 0.25, 0), 3);
      const sy = Math.min(Math.max(y / 2 - 0.25, 0), 3);
      return sigmoid(sx + 10 * sy);
    };
    for (const [x, y] of [[0, 0], [1, 0], [2, 3], [5, 6], [7, 7], [7, 0]]) expect(map.at(y * 8 + x)).toBeCloseTo(expected(x, y), 6);
    // The sigmoid of the logit, not the interpolated probability: the two differ on a steep edge.
    expect(map.at(1)).toBeCloseTo(sigmoid(0.25), 6);
    expect(map.at(1)).not.toBeCloseTo(0.75 * sigmoid(0) + 0.25 * sigmoid(1), 3);
  });

  it('reads each pixel from the tile whose kept region holds it, and 0 where no tile was run', () => {
    const width = 40;
    const height = 24;
    const mask = new Uint8Array(width * height);
    mask[2 * width + 2] = 1; // breast in the top-left tile ...
    mask[20 * width + 38] = 1; // ... and the bottom-right one
    const tiles = planTiles(mask, width, height, 16, 2);
    expect(tiles.length).toBeGreaterThan(1);
    // A constant logit per tile names the tile.
    const probabilities = tiles.map((_, k) => 0.1 + 0.1 * k);
    const map = new TiledCentreMap(width, height, tiles, tiles.map((t, k) => new Float32Array((t.width / 2) * (t.height / 2)).fill(logit(probabilities[k]))), 2);
    const rendered = map.render();
    const all = planTiles(null, width, height, 16, 2);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const inWindow = (t: Tile) => x >= t.x && x < t.x + t.width && y >= t.y && y < t.y + t.height;
        const k = tiles.findIndex((t) => x >= t.keepX0 && x < t.keepX1 && y >= t.keepY0 && y < t.keepY1 && inWindow(t));
        const value = map.at(y * width + x);
        expect(rendered[y * width + x]).toBe(value);
        if (k >= 0) expect(value).toBeCloseTo(probabilities[k], 6);
        else {
          expect(value).toBe(0);
          expect(all.some((t) => x >= t.keepX0 && x < t.keepX1 && y >= t.keepY0 && y < t.keepY1)).toBe(true);
        }
      }
    expect(rendered.some((v) => v === 0)).toBe(true);
  });

  it('takes full-resolution logits as they are', () => {
    const tile = { x: 0, y: 0, width: 4, height: 4, keepX0: 0, keepY0: 0, keepX1: 4, keepY1: 4 };
    const logits = Float32Array.from({ length: 16 }, (_, i) => i - 8);
    const map = new TiledCentreMap(4, 4, [tile], [logits], 1);
    for (let i = 0; i < 16; i++) expect(map.at(i)).toBeCloseTo(sigmoid(i - 8), 6);
  });

  it('reads a window cut down at the skin line with its own grid, and 0 in the kept region outside it', () => {
    // Kept region 0-16 × 0-16, window 8-16 × 0-8 (4 × 4 head cells); logits rise by 1 per column.
    const tile = { x: 8, y: 0, width: 8, height: 8, keepX0: 0, keepY0: 0, keepX1: 16, keepY1: 16 };
    const logits = Float32Array.from({ length: 16 }, (_, i) => i % 4);
    const map = new TiledCentreMap(16, 16, [tile], [logits], 2);
    expect(map.at(3 * 16 + 8)).toBeCloseTo(sigmoid(0), 6);
    expect(map.at(3 * 16 + 13)).toBeCloseTo(sigmoid(13 / 2 - 4 - 0.25), 6);
    expect(map.at(3 * 16 + 7)).toBe(0);
    expect(map.at(9 * 16 + 12)).toBe(0);
  });

  it('refuses a tile that the head grid does not divide', () => {
    const tile = (size: number) => ({ x: 0, y: 0, width: size, height: size, keepX0: 0, keepY0: 0, keepX1: size, keepY1: size });
    expect(() => new TiledCentreMap(6, 6, [tile(6)], [new Float32Array(4)], 4)).toThrow(/1\/4 of a 6 × 6 tile/);
    // A head output of 200 for a 512 tile: stride 2.56.
    expect(() => new TiledCentreMap(512, 512, [tile(512)], [new Float32Array(4)], 512 / 200)).toThrow(/whole grid/);
  });
});
