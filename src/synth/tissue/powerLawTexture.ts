import { fft2d } from '../fft';
import { SeededRandom } from '../random';

/**
 * Zero-mean, unit-variance Gaussian texture with power spectrum P(f) ∝ 1/f^β on a periodic
 * size×size grid. Mammographic parenchyma follows such a power law with β ≈ 2.5-3.5 (Burgess,
 * Jacobson & Judy, Med. Phys. 28(4) 2001; LESIONS.md), so filtered white noise is a data-free
 * background model. `minFrequency`/`maxFrequency` (cycles per pixel) limit the band, so that textures
 * at two scales can be summed without counting a band twice. With `raw`, the field is returned without
 * normalising, scaled so that fields on grids of different size share one spectrum constant (the
 * field is multiplied by N; the caller scales by sampleDistance^((β-2)/2), see textureField.ts).
 */
export function powerLawTexture(
  size: number,
  beta: number,
  random: SeededRandom,
  band: { minFrequency?: number; maxFrequency?: number; raw?: boolean } = {},
): Float32Array {
  const re = new Float64Array(size * size);
  const im = new Float64Array(size * size);
  const minF = band.minFrequency ?? 0;
  const maxF = band.maxFrequency ?? Infinity;
  for (let y = 0; y < size; y++) {
    const fy = (y <= size / 2 ? y : y - size) / size;
    for (let x = 0; x < size; x++) {
      const fx = (x <= size / 2 ? x : x - size) / size;
      const f = Math.sqrt(fx * fx + fy * fy);
      const i = y * size + x;
      // Complex white noise shaped by the amplitude spectrum f^(-β/2); the real part of the inverse
      // transform is then a real Gaussian field with the same spectrum.
      const gainRe = random.normal();
      const gainIm = random.normal();
      if (f === 0 || f < minF || f > maxF) continue;
      const amplitude = Math.pow(f, -beta / 2);
      re[i] = gainRe * amplitude;
      im[i] = gainIm * amplitude;
    }
  }
  fft2d(re, im, size, true);
  if (band.raw) {
    const raw = new Float32Array(size * size);
    for (let i = 0; i < raw.length; i++) raw[i] = re[i] * size;
    return raw;
  }
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < re.length; i++) {
    sum += re[i];
    sumSq += re[i] * re[i];
  }
  const mean = sum / re.length;
  const sd = Math.sqrt(Math.max(sumSq / re.length - mean * mean, 1e-30));
  const out = new Float32Array(size * size);
  for (let i = 0; i < out.length; i++) out[i] = (re[i] - mean) / sd;
  return out;
}
