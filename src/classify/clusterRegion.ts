import type { Point } from '../findings/types';
import { BACKGROUND_VALUE } from '../imaging/normalizeIntensity';

/** The cluster-region CNNs a worker can run: the classifier's and the cluster reducer's. */
export type RegionModelName = 'malignancy' | 'presence';

/** The ONNX path of each cluster-region CNN a worker runs, by name. */
export type RegionModelPaths = Partial<Record<RegionModelName, string>>;

/**
 * A model file's entry for the cluster-region CNN it blends in: an ONNX file in the model folder that
 * scores the detector-input window around a cluster's centre.
 */
export interface RegionModelEntry {
  /** File name in the model folder. */
  file: string;
  /** Side of the square working-grid window it reads, px. */
  patchSize: number;
  /** Share of the log-odds it carries: logit = (1 − weight)·(the file's own, calibrated) + weight·CNN logit. */
  weight: number;
}

/** Throws unless `entry` (a model file's "region") is well formed. */
export function checkRegionEntry(entry: RegionModelEntry, what: string): void {
  if (!(typeof entry.file === 'string' && entry.patchSize > 0 && entry.patchSize % 16 === 0 && entry.weight >= 0 && entry.weight <= 1)) {
    throw new Error(`${what}: its "region" entry needs a file name, a patchSize (multiple of 16) and a weight in [0, 1]`);
  }
}

/** The working-grid image a region is cut from (the detector's input). */
export interface RegionSource {
  pixels: Float32Array;
  width: number;
  height: number;
}

/** Top-left corner of the size×size window around `centre`, kept inside the image where it fits. */
export function regionOrigin(image: RegionSource, centre: Point, size: number): { x0: number; y0: number } {
  return {
    x0: Math.max(0, Math.min(image.width - size, Math.round(centre.x - size / 2))),
    y0: Math.max(0, Math.min(image.height - size, Math.round(centre.y - size / 2))),
  };
}

/**
 * The size×size working-grid pixels around `centre` (working pixels): what the cluster-region CNN
 * sees, cut exactly as its training patches were (src/synth/patches/patchCutter.ts). The window
 * stays inside the image, since beyond its edge there is nothing a real image would show; an image
 * smaller than the window is padded with the background value.
 */
export function cutRegion(image: RegionSource, centre: Point, size: number, out = new Float32Array(size * size)): Float32Array {
  const { x0, y0 } = regionOrigin(image, centre, size);
  out.fill(BACKGROUND_VALUE);
  for (let y = 0; y < size; y++) {
    const wy = y0 + y;
    if (wy < 0 || wy >= image.height) continue;
    for (let x = 0; x < size; x++) {
      const wx = x0 + x;
      if (wx >= 0 && wx < image.width) out[y * size + x] = image.pixels[wy * image.width + wx];
    }
  }
  return out;
}
