/** One network input window on the working grid. */
export interface Tile {
  /** The input window: top-left corner and size (the tile size, or less in steps of 64 where the tile is cut). */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The part of this tile's output that is kept (the rest overlaps a neighbour); the grid cell
   * whose pixels read this tile. Kept pixels outside the window hold no breast and read 0. */
  keepX0: number;
  keepY0: number;
  keepX1: number;
  keepY1: number;
}

/**
 * Tiles of tileSize (a multiple of 8) that cover every breast pixel, overlapping by 2*margin so each
 * kept region sees at least `margin` pixels of context on every inner side (less than the
 * network's receptive field: outputs within a few tens of pixels of a seam still depend slightly on
 * where it falls). Tiles holding no breast pixel are skipped: that is most of the saving on a
 * mammogram. A tile crossing the skin line is cut down to its breast pixels with `windowContext`
 * pixels around them (within the tile; sizes in steps of 64 px): on a 4096 × 3328 mammogram the
 * network then reads about an eighth fewer pixels, all of them background. With windowContext at
 * least the network's receptive field, the kept output is the whole tile's, bit for bit.
 * The image must be at least tileSize in each direction (pad smaller images first).
 */
export function planTiles(
  mask: Uint8Array | null,
  width: number,
  height: number,
  tileSize: number,
  margin: number,
  windowContext = margin,
): Tile[] {
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
      const keep = { keepX0, keepY0, keepX1, keepY1 };
      if (mask === null) {
        tiles.push({ x, y, width: tileSize, height: tileSize, ...keep });
        continue;
      }
      const breast = breastBox(mask, width, keep);
      if (breast === null) continue;
      const [wx, ww] = windowAround(breast.x0, breast.x1, x, tileSize, windowContext);
      const [wy, wh] = windowAround(breast.y0, breast.y1, y, tileSize, windowContext);
      tiles.push({ x: wx, y: wy, width: ww, height: wh, ...keep });
    }
  }
  return tiles;
}

/**
 * Window sizes come in steps of 64 px: at most 8 × 8 input shapes for 512 px tiles, whatever the
 * breast. On the CUDA provider every new shape costs a search for the fastest convolution algorithms
 * (cuDNN's exhaustive search is onnxruntime's default); on the CPU the coarser step costs about 2 %
 * more pixels than steps of 8.
 */
const WINDOW_SIZE_STEP = 64;

/**
 * The input window along one axis: [first, end) with `context` pixels each side, inside the tile. Its
 * start keeps the tile's phase modulo 8 (the network's coarsest stride): its strided convolutions
 * then sample the same pixels as in the whole tile (a shifted grid changes the output everywhere: by
 * up to 0.8 at a speck on the FFDM sample).
 */
function windowAround(first: number, end: number, tileStart: number, tileSize: number, context: number): [number, number] {
  const start = tileStart + Math.max(0, Math.floor((first - context - tileStart) / 8) * 8);
  const stop = Math.min(tileStart + tileSize, end + context);
  const size = Math.min(tileSize, Math.ceil((stop - start) / WINDOW_SIZE_STEP) * WINDOW_SIZE_STEP);
  return [Math.min(start, tileStart + tileSize - size), size];
}

/** Bounding box of the breast pixels in a kept region (end exclusive), or null where there are none. */
function breastBox(
  mask: Uint8Array,
  width: number,
  r: { keepX0: number; keepY0: number; keepX1: number; keepY1: number },
): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = r.keepX1;
  let x1 = r.keepX0;
  let y0 = r.keepY1;
  let y1 = r.keepY0;
  for (let y = r.keepY0; y < r.keepY1; y++) {
    const row = y * width;
    let first = r.keepX0;
    while (first < r.keepX1 && mask[row + first] === 0) first++;
    if (first === r.keepX1) continue;
    let last = r.keepX1 - 1;
    while (mask[row + last] === 0) last--;
    x0 = Math.min(x0, first);
    x1 = Math.max(x1, last + 1);
    if (y0 > y) y0 = y;
    y1 = y + 1;
  }
  return y1 > y0 ? { x0, y0, x1, y1 } : null;
}
