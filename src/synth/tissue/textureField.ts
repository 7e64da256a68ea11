import { SeededRandom } from '../random';
import { powerLawTexture } from './powerLawTexture';

/**
 * A power-law texture (P(f) ∝ 1/f^β) over a large window, made at two scales so a 4096×3328 image
 * needs only two small FFTs: a coarse periodic grid (one sample per `step` pixels, bilinearly
 * interpolated) carries the low frequencies, a fine periodic tile repeated across the window the
 * band above the coarse grid's Nyquist frequency. Both use one spectrum constant: a field sampled
 * every Δ pixels is scaled by Δ^((β-2)/2) (discrete version of ∫P(f)df² with Δf = 1/(NΔ)).
 * Returned normalised to zero mean and unit variance over the window.
 */
export function twoScaleTexture(width: number, height: number, beta: number, random: SeededRandom): Float32Array {
  const longest = Math.max(width, height);
  let coarseSize = 64;
  while (coarseSize * 4 < longest && coarseSize < 512) coarseSize *= 2;
  const step = Math.max(1, Math.ceil(longest / coarseSize));
  const coarse = powerLawTexture(coarseSize, beta, random, { raw: true });
  const coarseScale = Math.pow(step, (beta - 2) / 2);
  // A 512 tile repeats every 36 mm at 70 µm: its band (fine detail only) hides the repetition.
  const tile = Math.min(longest > 1024 ? 512 : 256, nextPowerOfTwo(longest));
  const fine = step > 1 ? powerLawTexture(tile, beta, random, { raw: true, minFrequency: 0.5 / step }) : undefined;
  const out = new Float32Array(width * height);
  let sum = 0;
  let sumSq = 0;
  for (let y = 0; y < height; y++) {
    const cy = y / step;
    const y0 = Math.floor(cy);
    const fy = cy - y0;
    const r0 = (y0 % coarseSize) * coarseSize;
    const r1 = ((y0 + 1) % coarseSize) * coarseSize;
    for (let x = 0; x < width; x++) {
      const cx = x / step;
      const x0 = Math.floor(cx);
      const fx = cx - x0;
      const c0 = x0 % coarseSize;
      const c1 = (x0 + 1) % coarseSize;
      let value =
        coarseScale *
        ((1 - fy) * ((1 - fx) * coarse[r0 + c0] + fx * coarse[r0 + c1]) + fy * ((1 - fx) * coarse[r1 + c0] + fx * coarse[r1 + c1]));
      if (fine) value += fine[(y % tile) * tile + (x % tile)];
      out[y * width + x] = value;
      sum += value;
      sumSq += value * value;
    }
  }
  const mean = sum / out.length;
  const sd = Math.sqrt(Math.max(sumSq / out.length - mean * mean, 1e-30));
  for (let i = 0; i < out.length; i++) out[i] = (out[i] - mean) / sd;
  return out;
}

function nextPowerOfTwo(value: number): number {
  let p = 1;
  while (p < value) p *= 2;
  return p;
}
