import { PNG } from 'pngjs';

export interface MosaicTile {
  /** Row-major values, tileSize × tileSize after upscaling is applied by the mosaic. */
  values: Float32Array;
  size: number;
  /** Optional target (1 calcification) drawn as a red dot mask beside nothing: a red tint. */
  target?: Uint8Array;
}

/**
 * Lays tiles out in a grid, each contrast-stretched on its own 1st-99.8th percentile and upscaled by
 * pixel replication to `cell` pixels, with a 2-pixel gap; optional red tint where the target is 1.
 */
export function patchMosaic(tiles: MosaicTile[], columns: number, cell: number): Buffer {
  const rows = Math.ceil(tiles.length / columns);
  const gap = 2;
  const width = columns * (cell + gap) + gap;
  const height = rows * (cell + gap) + gap;
  const png = new PNG({ width, height });
  png.data.fill(255);
  tiles.forEach((tile, index) => {
    const sorted = Array.from(tile.values).sort((a, b) => a - b);
    const low = sorted[Math.floor(sorted.length * 0.01)];
    const high = sorted[Math.floor(sorted.length * 0.998)];
    const scale = 255 / Math.max(high - low, 1e-9);
    const ox = gap + (index % columns) * (cell + gap);
    const oy = gap + Math.floor(index / columns) * (cell + gap);
    for (let y = 0; y < cell; y++) {
      const sy = Math.floor((y * tile.size) / cell);
      for (let x = 0; x < cell; x++) {
        const sx = Math.floor((x * tile.size) / cell);
        const v = Math.max(0, Math.min(255, Math.round((tile.values[sy * tile.size + sx] - low) * scale)));
        const o = ((oy + y) * width + ox + x) * 4;
        const marked = tile.target?.[sy * tile.size + sx] === 1;
        png.data[o] = marked ? Math.min(255, v + 90) : v;
        png.data[o + 1] = marked ? Math.round(v * 0.6) : v;
        png.data[o + 2] = marked ? Math.round(v * 0.6) : v;
        png.data[o + 3] = 255;
      }
    }
  });
  return PNG.sync.write(png);
}
