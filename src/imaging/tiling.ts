import type { PreparedImage } from './preparedImage';

/** A square (or edge-clipped) window of the working grid: x, y of its top-left pixel. */
export interface Tile {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Start positions along one axis covering [from, to): step `stride`, the last start pulled back so
 * that tile ends exactly at `to` (never past `limit`, the image size).
 */
function starts(from: number, to: number, tileSize: number, stride: number, limit: number): number[] {
  let s = Math.min(from, limit - tileSize);
  const out = [s];
  while (s + tileSize < to) {
    s = Math.min(s + stride, to - tileSize);
    out.push(s);
  }
  return out;
}

/**
 * Tiles of `tileSize` (clipped to the image when it is smaller) stepping by tileSize − overlap over the
 * breast's bounding box; tiles holding no breast pixel are dropped. Every breast pixel lies in at
 * least one tile, and neighbouring tiles share `overlap` pixels so a speck on an edge is whole in one.
 */
export function tileBreast(
  image: Pick<PreparedImage, 'mask' | 'width' | 'height'>,
  tileSize: number,
  overlap: number,
): Tile[] {
  const { mask, width, height } = image;
  if (tileSize < 1 || overlap < 0 || overlap >= tileSize)
    throw new RangeError('need tileSize ≥ 1 and 0 ≤ overlap < tileSize');
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (mask[row + x]) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  if (x1 < 0) return [];
  // Summed-area table of the mask: O(1) "any breast in this tile" per tile.
  const sat = new Int32Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    for (let x = 0; x < width; x++) {
      rowSum += mask[y * width + x];
      sat[(y + 1) * (width + 1) + x + 1] = sat[y * (width + 1) + x + 1] + rowSum;
    }
  }
  const tw = Math.min(tileSize, width);
  const th = Math.min(tileSize, height);
  const stride = tileSize - overlap;
  const tiles: Tile[] = [];
  for (const y of starts(y0, y1 + 1, th, stride, height)) {
    for (const x of starts(x0, x1 + 1, tw, stride, width)) {
      const inside =
        sat[(y + th) * (width + 1) + x + tw] -
        sat[y * (width + 1) + x + tw] -
        sat[(y + th) * (width + 1) + x] +
        sat[y * (width + 1) + x];
      if (inside > 0) tiles.push({ x, y, width: tw, height: th });
    }
  }
  return tiles;
}
