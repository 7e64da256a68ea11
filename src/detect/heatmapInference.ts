import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { CENTRE_LOGITS_OUTPUT, TiledCentreMap } from './centreMap';
import { planTiles } from './tilePlan';

export interface HeatmapOptions {
  /** Square network input, a multiple of 8. */
  tileSize: number;
  /** Context kept on inner tile sides, px (≥ the network's useful receptive field). */
  margin: number;
  /** Tiles per session.run: amortises call overhead without large buffers. */
  batchSize: number;
}

export const DEFAULT_HEATMAP_OPTIONS: HeatmapOptions = { tileSize: 512, margin: 24, batchSize: 4 };

/**
 * Runs the detector over the breast tiles of a working-grid image and stitches the per-pixel
 * probabilities into one heatmap of the same size (0 outside the tiles, i.e. outside the breast).
 * The speck-centre map, when the model has that output (else null), stays per tile (centreMap.ts).
 * Images smaller than a tile are padded by repeating their edge.
 */
export async function inferHeatmap(
  ort: { Tensor: typeof OrtTensor },
  session: InferenceSession,
  image: { pixels: Float32Array; width: number; height: number; mask: Uint8Array | null },
  options: HeatmapOptions = DEFAULT_HEATMAP_OPTIONS,
): Promise<{ heatmap: Float32Array; centres: TiledCentreMap | null; tiles: number }> {
  const { tileSize, margin, batchSize } = options;
  const padded = padToAtLeast(image, tileSize);
  const { width, height, pixels, mask } = padded;
  const tiles = planTiles(mask, width, height, tileSize, margin);
  const inputName = session.inputNames[0];
  const heatmapName = session.outputNames[0];
  const centresName = session.outputNames.find((name) => name === CENTRE_LOGITS_OUTPUT);
  const heatmap = new Float32Array(width * height);
  const centreLogits: Float32Array[] = [];
  let centreStride = 1;
  const area = tileSize * tileSize;
  // One input buffer for every batch: each tile overwrites its whole slot, and a fresh 4 MB array per
  // batch costs its page faults again.
  const inputBuffer = new Float32Array(Math.min(batchSize, tiles.length) * area);
  for (let start = 0; start < tiles.length; start += batchSize) {
    const batch = tiles.slice(start, start + batchSize);
    const input = inputBuffer.subarray(0, batch.length * area);
    batch.forEach((t, b) => {
      for (let r = 0; r < tileSize; r++) {
        const src = (t.y + r) * width + t.x;
        input.set(pixels.subarray(src, src + tileSize), b * area + r * tileSize);
      }
    });
    const feeds = { [inputName]: new ort.Tensor('float32', input, [batch.length, 1, tileSize, tileSize]) };
    const result = await session.run(feeds);
    const out = result[heatmapName].data as Float32Array;
    batch.forEach((t, b) => {
      for (let y = t.keepY0; y < t.keepY1; y++) {
        const src = b * area + (y - t.y) * tileSize + (t.keepX0 - t.x);
        heatmap.set(out.subarray(src, src + (t.keepX1 - t.keepX0)), y * width + t.keepX0);
      }
    });
    if (centresName) {
      const logits = result[centresName];
      centreStride = tileSize / logits.dims[3];
      const perTile = logits.dims[2] * logits.dims[3];
      const data = logits.data as Float32Array;
      batch.forEach((_, b) => centreLogits.push(data.slice(b * perTile, (b + 1) * perTile)));
    }
    for (const tensor of Object.values(result)) tensor.dispose();
  }
  const centres = centresName
    ? new TiledCentreMap(image.width, image.height, tiles, centreLogits, tileSize, centreStride)
    : null;
  return { heatmap: cropTo(heatmap, width, image.width, image.height), centres, tiles: tiles.length };
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
