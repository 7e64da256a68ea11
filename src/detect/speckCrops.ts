/**
 * The speck stage's input (speckStage.ts): for each speck, a SPECK_CROP_PX square (2.2 mm) of the
 * working image and of the detector's heatmap around it, and the same two over a square twice as
 * wide (4.5 mm) reduced 2 × 2, as four channels. The wider view shows the band, line or neighbouring
 * specks a speck sits among, which the stage confused with specks on real tissue (models/HISTORY.md,
 * "0.3.20"). The crop is centred on the heatmap's maximum within CENTRE_SEARCH_PX of the speck's
 * centre (a speck's centre is probability-weighted, its brightest pixel is where the stage should
 * look), and mirrored at the image's border. The image channels are taken relative to their own
 * mean, so the stage sees local contrast rather than the breast's density; the training dump
 * (scripts/train/speckStageCrops.ts) cuts its crops with this same function.
 */
export const SPECK_CROP_PX = 32;
export const SPECK_CROP_CHANNELS = 4;
/** The wider view's side (working pixels): 4.5 mm at 0.07 mm, reduced 2 × 2 to SPECK_CROP_PX. */
const CONTEXT_PX = 2 * SPECK_CROP_PX;
/** Floats per crop. */
export const SPECK_CROP_FLOATS = SPECK_CROP_CHANNELS * SPECK_CROP_PX * SPECK_CROP_PX;
const CENTRE_SEARCH_PX = 2;
/** The image channel's unit: the working grid's robust spread (normalizeIntensity.ts) is 1, and
 * calcifications stand a few tenths above their surroundings. */
const IMAGE_CROP_UNIT = 0.2;

export interface SpeckCropSource {
  pixels: Float32Array;
  heatmap: Float32Array;
  width: number;
  height: number;
}

/** Mirror an index into [0, n) without repeating the edge pixel (numpy's 'reflect'). */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n - 2;
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}

/** The crops of `centres` (working-grid pixels), N × 4 × 32 × 32 floats: image, heatmap, then the wider image and heatmap. */
export function cutSpeckCrops(
  source: SpeckCropSource,
  centres: readonly { x: number; y: number }[],
): Float32Array {
  const plane = SPECK_CROP_PX * SPECK_CROP_PX;
  const crops = new Float32Array(centres.length * SPECK_CROP_FLOATS);
  centres.forEach((c, n) => {
    const centre = heatmapMaximumNear(source, Math.round(c.x), Math.round(c.y));
    const channel = (k: number) => crops.subarray(n * SPECK_CROP_FLOATS + k * plane, n * SPECK_CROP_FLOATS + (k + 1) * plane);
    cutView(source, centre, 1, channel(0), channel(1));
    cutView(source, centre, CONTEXT_PX / SPECK_CROP_PX, channel(2), channel(3));
  });
  return crops;
}

/**
 * One view of SPECK_CROP_PX × SPECK_CROP_PX cells of `step` × `step` pixels around `centre`: the
 * image averaged over each cell, relative to the view's mean in IMAGE_CROP_UNIT, and the heatmap's
 * maximum in each cell (a neighbouring speck stays as bright as at full resolution).
 */
function cutView(
  source: SpeckCropSource,
  centre: { x: number; y: number },
  step: number,
  image: Float32Array,
  heat: Float32Array,
): void {
  const { pixels, heatmap, width, height } = source;
  const side = SPECK_CROP_PX;
  const origin = { x: centre.x - (step * side) / 2, y: centre.y - (step * side) / 2 };
  let sum = 0;
  for (let r = 0; r < side; r++) {
    for (let k = 0; k < side; k++) {
      let mean = 0;
      let max = -Infinity;
      for (let dy = 0; dy < step; dy++) {
        const y = reflect(origin.y + step * r + dy, height);
        for (let dx = 0; dx < step; dx++) {
          const at = y * width + reflect(origin.x + step * k + dx, width);
          mean += pixels[at] / (step * step);
          max = Math.max(max, heatmap[at]);
        }
      }
      image[r * side + k] = mean;
      heat[r * side + k] = max;
      sum += mean;
    }
  }
  const viewMean = sum / (side * side);
  for (let i = 0; i < side * side; i++) image[i] = (image[i] - viewMean) / IMAGE_CROP_UNIT;
}

function heatmapMaximumNear(source: SpeckCropSource, x0: number, y0: number): { x: number; y: number } {
  const { heatmap, width, height } = source;
  // Ties keep the speck's own pixel.
  let best = { x: Math.min(width - 1, Math.max(0, x0)), y: Math.min(height - 1, Math.max(0, y0)) };
  let bestValue = heatmap[best.y * width + best.x];
  for (let y = Math.max(0, y0 - CENTRE_SEARCH_PX); y <= Math.min(height - 1, y0 + CENTRE_SEARCH_PX); y++) {
    for (let x = Math.max(0, x0 - CENTRE_SEARCH_PX); x <= Math.min(width - 1, x0 + CENTRE_SEARCH_PX); x++) {
      if (heatmap[y * width + x] > bestValue) {
        bestValue = heatmap[y * width + x];
        best = { x, y };
      }
    }
  }
  return best;
}
