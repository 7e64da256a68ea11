import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { CENTRE_LOGITS_OUTPUT, TiledCentreMap } from './centreMap';
import { planTiles, type Tile } from './tilePlan';

export interface HeatmapOptions {
  /** Square network input, a multiple of 8. */
  tileSize: number;
  /** Context kept on inner tile sides, px (under the network's receptive field, for fewer tiles: see tilePlan.ts). */
  margin: number;
  /** Tiles per session.run: amortises call overhead without large buffers. */
  batchSize: number;
  /** Context kept around the breast where a tile is cut at the skin line, px: at least the network's
   * receptive field (detector_net.py: about 46 px through its convolutions and the centre head's
   * interpolation, up to 7 px more through nearest upsampling), so a cut tile gives the whole
   * tile's output. (48 already did, bit for bit, on the FFDM sample and mini-MIAS.) */
  windowContext: number;
}

export const DEFAULT_HEATMAP_OPTIONS: HeatmapOptions = { tileSize: 512, margin: 24, batchSize: 4, windowContext: 56 };

/**
 * Runs the detector over the breast tiles of a working-grid image and stitches the per-pixel
 * probabilities into one heatmap of the same size (0 outside the tiles, i.e. outside the breast).
 * Tiles of the same window size run together (tilePlan.ts cuts tiles at the skin line down to
 * their breast pixels). The speck-centre map, when the model has that output (else null), stays
 * per tile (centreMap.ts).
 * Images smaller than a tile are padded by repeating their edge.
 */
export async function inferHeatmap(
  ort: { Tensor: typeof OrtTensor },
  session: InferenceSession,
  image: { pixels: Float32Array; width: number; height: number; mask: Uint8Array | null },
  options: HeatmapOptions = DEFAULT_HEATMAP_OPTIONS,
): Promise<{ heatmap: Float32Array; centres: TiledCentreMap | null; tiles: number }> {
  const { tileSize, margin, batchSize, windowContext } = options;
  const padded = padToAtLeast(image, tileSize);
  const { width, height, pixels, mask } = padded;
  const tiles = planTiles(mask, width, height, tileSize, margin, windowContext);
  const inputName = session.inputNames[0];
  const heatmapName = session.outputNames[0];
  const centresName = session.outputNames.find((name) => name === CENTRE_LOGITS_OUTPUT);
  const heatmap = new Float32Array(width * height);
  const centreLogits: Float32Array[] = new Array(tiles.length);
  let centreStride = 1;
  // One input buffer for every batch: each tile overwrites its whole slot, and a fresh 4 MB array per
  // batch costs its page faults again.
  const inputBuffer = new Float32Array(Math.min(batchSize, tiles.length) * tileSize * tileSize);
  for (const batch of batchesOfEqualSize(tiles, batchSize)) {
    const { width: w, height: h } = tiles[batch[0]];
    const area = w * h;
    const input = inputBuffer.subarray(0, batch.length * area);
    batch.forEach((k, b) => {
      const t = tiles[k];
      for (let r = 0; r < h; r++) {
        const src = (t.y + r) * width + t.x;
        input.set(pixels.subarray(src, src + w), b * area + r * w);
      }
    });
    const feeds = { [inputName]: new ort.Tensor('float32', input, [batch.length, 1, h, w]) };
    const result = await session.run(feeds);
    const out = result[heatmapName].data as Float32Array;
    batch.forEach((k, b) => {
      const t = tiles[k];
      // The kept region's part inside the window: the rest of the kept region has no breast.
      const x0 = Math.max(t.keepX0, t.x);
      const x1 = Math.min(t.keepX1, t.x + w);
      for (let y = Math.max(t.keepY0, t.y); y < Math.min(t.keepY1, t.y + h); y++) {
        const src = b * area + (y - t.y) * w + (x0 - t.x);
        heatmap.set(out.subarray(src, src + (x1 - x0)), y * width + x0);
      }
    });
    if (centresName) {
      const logits = result[centresName];
      centreStride = w / logits.dims[3];
      const perTile = logits.dims[2] * logits.dims[3];
      const data = logits.data as Float32Array;
      batch.forEach((k, b) => (centreLogits[k] = data.slice(b * perTile, (b + 1) * perTile)));
    }
    for (const tensor of Object.values(result)) tensor.dispose();
  }
  const centres = centresName
    ? new TiledCentreMap(image.width, image.height, tiles, centreLogits, centreStride)
    : null;
  return { heatmap: cropTo(heatmap, width, image.width, image.height), centres, tiles: tiles.length };
}

/** Tile indices in runs of at most batchSize with one window size each (a run's tensor has one shape). */
function batchesOfEqualSize(tiles: readonly Tile[], batchSize: number): number[][] {
  const bySize = new Map<string, number[]>();
  tiles.forEach((t, k) => {
    const key = `${t.width}x${t.height}`;
    const group = bySize.get(key);
    if (group) group.push(k);
    else bySize.set(key, [k]);
  });
  const batches: number[][] = [];
  for (const indices of bySize.values())
    for (let start = 0; start < indices.length; start += batchSize) batches.push(indices.slice(start, start + batchSize));
  return batches;
}

function padToAtLeast(
  image: { pixels: Float32Array; width: number; height: number; mask: Uint8Array | null },
  size: number,
): { pixels: Float32Array; width: number; height: number; mask: Uint8Array | null } {
  if (image.width >= size && image.height >= size) return image;
  const width = Math.max(size, image.width);
  const height = Math.max(size, image.height);
  const pixels = new Float32Array(width * height);
  const mask = image.mask ? new Uint8Array(width * height) : null;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(y, image.height - 1);
    for (let x = 0; x < width; x++) {
      const sx = Math.min(x, image.width - 1);
      pixels[y * width + x] = image.pixels[sy * image.width + sx];
      if (mask && image.mask && y < image.height && x < image.width) mask[y * width + x] = image.mask[sy * image.width + sx];
    }
  }
  return { pixels, width, height, mask };
}

function cropTo(heatmap: Float32Array, stride: number, width: number, height: number): Float32Array {
  if (stride === width && heatmap.length === width * height) return heatmap;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) out.set(heatmap.subarray(y * stride, y * stride + width), y * width);
  return out;
}
