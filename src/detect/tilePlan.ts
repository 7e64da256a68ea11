/** One network input window on the working grid. */
export interface Tile {
  x: number;
  y: number;
  /** The part of this tile's output that is kept (the rest overlaps a neighbour). */
  keepX0: number;
  keepY0: number;
  keepX1: number;
  keepY1: number;
}

/**
 * Tiles of tileSize (a multiple of 8) that cover every breast pixel, overlapping by 2*margin so each
 * kept region sees at least `margin` pixels of context on every inner side (the network's receptive
 * field). Tiles holding no breast pixel are skipped: that is most of the saving on a mammogram.
 * The image must be at least tileSize in each direction (pad smaller images first).
 */
export function planTiles(mask: Uint8Array | null, width: number, height: number, tileSize: number, margin: number): Tile[] {
  if (width < tileSize || height < tileSize) throw new Error(`image ${width}x${height} is smaller than a ${tileSize} tile`);
  const step = tileSize - 2 * margin;
  const starts = (length: number): number[] => {
    const out: number[] = [];
    for (let s = 0; ; s += step) {
      if (s + tileSize >= length) {
        out.push(length - tileSize);
        break;
      }
      out.push(s);
    }
    return out;
  };
  const xs = starts(width);
  const ys = starts(height);
  const tiles: Tile[] = [];
  for (let iy = 0; iy < ys.length; iy++) {
    for (let ix = 0; ix < xs.length; ix++) {
      const x = xs[ix];
      const y = ys[iy];
      // Kept region: from the previous tile's kept end (or 0) to this tile's inner edge (or the border).
      const keepX0 = ix === 0 ? 0 : Math.max(x + margin, xs[ix - 1] + tileSize - margin);
      const keepY0 = iy === 0 ? 0 : Math.max(y + margin, ys[iy - 1] + tileSize - margin);
      const keepX1 = ix === xs.length - 1 ? width : x + tileSize - margin;
      const keepY1 = iy === ys.length - 1 ? height : y + tileSize - margin;
      if (keepX1 <= keepX0 || keepY1 <= keepY0) continue;
      if (mask !== null && !anyBreast(mask, width, keepX0, keepY0, keepX1, keepY1)) continue;
      tiles.push({ x, y, keepX0, keepY0, keepX1, keepY1 });
    }
  }
  return tiles;
}

function anyBreast(mask: Uint8Array, width: number, x0: number, y0: number, x1: number, y1: number): boolean {
  for (let y = y0; y < y1; y++) {
    const row = y * width;
    for (let x = x0; x < x1; x++) if (mask[row + x] !== 0) return true;
  }
  return false;
}
