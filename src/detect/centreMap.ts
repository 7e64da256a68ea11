import type { Tile } from './tilePlan';

/** The detector's second output, where the model has one: the centre head's logits at its own
 * resolution, ½ or full (scripts/train/train_centre_head.py, detector_net.py's ExportedDetector). */
export const CENTRE_LOGITS_OUTPUT = 'centre_logits';

/** A per-pixel map of the working grid (heatmap, speck-centre probability), read by row-major index. */
export interface PixelMap {
  at(index: number): number;
}

/** A full-size map already in memory (the heatmap; a centre map read from a training cache). */
export function denseMap(values: Float32Array): PixelMap {
  return { at: (index) => values[index] };
}

/**
 * The centre head's logits as the detector gives them: per tile, at the head's own resolution
 * (1/stride of the tile; the committed head reads the ½-resolution decoder map). Splitting specks
 * needs centre values only at the thresholded pixels, a few thousand of 14 million, so a value is
 * interpolated when asked for, not for the whole image: bilinear on the logits with half-pixel
 * centres, then the sigmoid, as the training code's F.interpolate(align_corners=False) does. (0.3.3
 * exported the full-size map; the model alone took a fifth longer.) Each pixel reads the tile whose
 * kept region holds it (tilePlan.ts), as the stitched heatmap does; pixels outside every tile's
 * window (no breast) read 0.
 */
export class TiledCentreMap implements PixelMap {
  /** Grid column of each x, or -1 where no tile keeps it; likewise rows. */
  private readonly columnOf: Int32Array;
  private readonly rowOf: Int32Array;
  private readonly columns: number;
  /** Index into tiles of each grid cell, or -1 for a skipped tile. */
  private readonly tileAt: Int32Array;

  constructor(
    /** The image the indices refer to (tiles may reach beyond it when it was padded). */
    private readonly width: number,
    private readonly height: number,
    private readonly tiles: readonly Tile[],
    /** Per tile, (height/stride) × (width/stride) logits of its window, row-major. */
    private readonly logits: readonly Float32Array[],
    private readonly stride: number,
  ) {
    const uneven = tiles.find((t) => !Number.isInteger(stride) || stride < 1 || t.width % stride !== 0 || t.height % stride !== 0);
    if (uneven) throw new Error(`centre logits at 1/${stride} of a ${uneven.width} × ${uneven.height} tile do not form a whole grid`);
    const xs = [...new Set(tiles.map((t) => t.keepX0))].sort((a, b) => a - b);
    const ys = [...new Set(tiles.map((t) => t.keepY0))].sort((a, b) => a - b);
    this.columns = xs.length;
    this.columnOf = new Int32Array(width).fill(-1);
    this.rowOf = new Int32Array(height).fill(-1);
    this.tileAt = new Int32Array(xs.length * ys.length).fill(-1);
    tiles.forEach((t, k) => {
      const column = xs.indexOf(t.keepX0);
      const row = ys.indexOf(t.keepY0);
      this.columnOf.fill(column, t.keepX0, Math.min(t.keepX1, width));
      this.rowOf.fill(row, t.keepY0, Math.min(t.keepY1, height));
      this.tileAt[row * this.columns + column] = k;
    });
  }

  at(index: number): number {
    const x = index % this.width;
    const y = (index - x) / this.width;
    const column = this.columnOf[x];
    const row = this.rowOf[y];
    const k = column < 0 || row < 0 ? -1 : this.tileAt[row * this.columns + column];
    if (k < 0) return 0;
    const tile = this.tiles[k];
    if (x < tile.x || y < tile.y || x >= tile.x + tile.width || y >= tile.y + tile.height) return 0;
    const columns = tile.width / this.stride;
    const [x0, x1, fx] = this.source(x - tile.x, columns);
    const [y0, y1, fy] = this.source(y - tile.y, tile.height / this.stride);
    const map = this.logits[k];
    const top = (1 - fx) * map[y0 * columns + x0] + fx * map[y0 * columns + x1];
    const bottom = (1 - fx) * map[y1 * columns + x0] + fx * map[y1 * columns + x1];
    const logit = (1 - fy) * top + fy * bottom;
    // float32, as a map of the ONNX output would hold it.
    return Math.fround(1 / (1 + Math.exp(-logit)));
  }

  /** Every pixel's value: for callers that keep the map (training caches, tests), not for detection. */
  render(): Float32Array {
    const out = new Float32Array(this.width * this.height);
    for (const tile of this.tiles) {
      for (let y = tile.keepY0; y < Math.min(tile.keepY1, this.height); y++)
        for (let x = tile.keepX0; x < Math.min(tile.keepX1, this.width); x++) out[y * this.width + x] = this.at(y * this.width + x);
    }
    return out;
  }

  /** The two head-grid samples around window pixel d and the weight of the second (half-pixel centres, clamped at the window's edges). */
  private source(d: number, size: number): [number, number, number] {
    const real = Math.max(0, (d + 0.5) / this.stride - 0.5);
    const first = Math.floor(real);
    return [first, Math.min(first + 1, size - 1), real - first];
  }
}
