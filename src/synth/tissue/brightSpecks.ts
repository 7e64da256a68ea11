import type { Point } from '../../findings/types';

/**
 * Strong bright specks already in real "normal" tissue: most are real benign calcifications
 * (LESIONS.md: mask them out of the loss, or the model learns to ignore real calcifications).
 * A pixel is one when it exceeds its ~1.5 mm neighbourhood mean by `threshold` robust standard
 * deviations of that difference over the breast, and is the maximum of its 3×3 neighbourhood.
 */
export function findBrightSpecks(values: Float32Array, mask: Uint8Array, width: number, height: number, spacingMm: number, threshold = 5): Point[] {
  const half = Math.max(2, Math.round(0.75 / spacingMm));
  const integral = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += values[y * width + x];
      integral[(y + 1) * (width + 1) + x + 1] = integral[y * (width + 1) + x + 1] + row;
    }
  }
  const residual = new Float32Array(width * height);
  const sample: number[] = [];
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - half);
    const y1 = Math.min(height, y + half + 1);
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      const x0 = Math.max(0, x - half);
      const x1 = Math.min(width, x + half + 1);
      const sum = integral[y1 * (width + 1) + x1] - integral[y0 * (width + 1) + x1] - integral[y1 * (width + 1) + x0] + integral[y0 * (width + 1) + x0];
      const r = values[y * width + x] - sum / ((x1 - x0) * (y1 - y0));
      residual[y * width + x] = r;
      if ((x + y * 7) % 13 === 0) sample.push(Math.abs(r));
    }
  }
  if (sample.length === 0) return [];
  sample.sort((a, b) => a - b);
  // Median absolute residual / 0.6745 estimates the standard deviation robustly.
  const sigma = Math.max(sample[Math.floor(sample.length / 2)] / 0.6745, 1e-6);
  const specks: Point[] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const r = residual[i];
      if (!mask[i] || r < threshold * sigma) continue;
      let isMax = true;
      for (let dy = -1; dy <= 1 && isMax; dy++) for (let dx = -1; dx <= 1; dx++) if ((dx || dy) && residual[i + dy * width + dx] > r) isMax = false;
      if (isMax) specks.push({ x: x + 0.5, y: y + 0.5 });
    }
  }
  return specks;
}
