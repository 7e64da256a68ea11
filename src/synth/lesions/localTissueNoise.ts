import type { AttenuationImage } from '../attenuationImage';
import { quantumNoiseInAttenuation, type DetectorSettings } from '../detectorModel';

/**
 * The noise a calcification must stand out from, at one place: the standard deviation of the tissue
 * texture after removing its 1 mm local mean, over a 3 mm window, combined with the quantum noise at
 * that attenuation (none for real images, whose measured texture already holds their noise).
 * CNR = peak speck contrast / this value.
 */
export function localTissueNoise(image: AttenuationImage, x: number, y: number, detector: DetectorSettings | undefined): number {
  const { width, height, attenuation, spacingMm } = image;
  const windowHalf = Math.max(3, Math.round(1.5 / spacingMm));
  const meanHalf = Math.max(1, Math.round(0.5 / spacingMm));
  const cx = Math.round(x);
  const cy = Math.round(y);
  const x0 = Math.max(0, cx - windowHalf - meanHalf);
  const x1 = Math.min(width - 1, cx + windowHalf + meanHalf);
  const y0 = Math.max(0, cy - windowHalf - meanHalf);
  const y1 = Math.min(height - 1, cy + windowHalf + meanHalf);
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  // Integral image of the window, for O(1) local means.
  const integral = new Float64Array((w + 1) * (h + 1));
  for (let yy = 0; yy < h; yy++) {
    let row = 0;
    for (let xx = 0; xx < w; xx++) {
      row += attenuation[(y0 + yy) * width + x0 + xx];
      integral[(yy + 1) * (w + 1) + xx + 1] = integral[yy * (w + 1) + xx + 1] + row;
    }
  }
  let sum = 0;
  let sumSq = 0;
  let count = 0;
  let centreAttenuation = 0;
  for (let yy = Math.max(y0, cy - windowHalf); yy <= Math.min(y1, cy + windowHalf); yy++) {
    for (let xx = Math.max(x0, cx - windowHalf); xx <= Math.min(x1, cx + windowHalf); xx++) {
      if (!image.breastMask[yy * width + xx]) continue;
      const ax0 = Math.max(x0, xx - meanHalf) - x0;
      const ax1 = Math.min(x1, xx + meanHalf) - x0 + 1;
      const ay0 = Math.max(y0, yy - meanHalf) - y0;
      const ay1 = Math.min(y1, yy + meanHalf) - y0 + 1;
      const n = (ax1 - ax0) * (ay1 - ay0);
      const mean = (integral[ay1 * (w + 1) + ax1] - integral[ay0 * (w + 1) + ax1] - integral[ay1 * (w + 1) + ax0] + integral[ay0 * (w + 1) + ax0]) / n;
      const residual = attenuation[yy * width + xx] - mean;
      sum += residual;
      sumSq += residual * residual;
      centreAttenuation += attenuation[yy * width + xx];
      count++;
    }
  }
  if (count === 0) return detector ? quantumNoiseInAttenuation(detector, spacingMm, attenuation[cy * width + cx] ?? 0) : 1e-3;
  const textureVariance = Math.max(0, sumSq / count - (sum / count) ** 2);
  const quantum = detector ? quantumNoiseInAttenuation(detector, spacingMm, centreAttenuation / count) : 0;
  return Math.max(1e-6, Math.sqrt(textureVariance + quantum * quantum));
}
