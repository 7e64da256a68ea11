import type { AttenuationImage } from './attenuationImage';
import { SeededRandom } from './random';

/**
 * The image-formation step: photons through the attenuation map, quantum (Poisson, here Gaussian)
 * noise, then the stored values of a For Processing (linear in dose) or For Presentation
 * (log-converted) image. Noise is added here, after the calcifications were inserted, so the network
 * cannot tell inserted specks by their noise (LESIONS.md: insert before quantisation).
 */
export interface DetectorSettings {
  /** Mean photons per pixel without attenuation at 70 µm; scaled with pixel area. */
  photonsPerPixelAt70um: number;
  bitsStored: number;
}

export const DEFAULT_DETECTOR: DetectorSettings = { photonsPerPixelAt70um: 60000, bitsStored: 12 };


export function photonsPerPixel(settings: DetectorSettings, spacingMm: number): number {
  return settings.photonsPerPixelAt70um * (spacingMm / 0.07) ** 2;
}

/** Standard deviation of the quantum noise in the attenuation domain at attenuation A. */
export function quantumNoiseInAttenuation(settings: DetectorSettings, spacingMm: number, attenuation: number): number {
  return 1 / Math.sqrt(photonsPerPixel(settings, spacingMm) * Math.exp(-attenuation));
}

/** Attenuation with quantum noise, as the detector would measure it. */
export function measureAttenuation(image: AttenuationImage, settings: DetectorSettings, seed: number): Float32Array {
  const random = new SeededRandom(seed ^ 0x5bd1e995);
  const n0 = photonsPerPixel(settings, image.spacingMm);
  const out = new Float32Array(image.attenuation.length);
  for (let i = 0; i < out.length; i++) {
    const expected = n0 * Math.exp(-image.attenuation[i]);
    const counted = Math.max(1, expected + Math.sqrt(expected) * random.normal());
    out[i] = -Math.log(counted / n0);
  }
  return out;
}

/**
 * For Presentation stored values: log-converted, denser is higher (MONOCHROME2 sense). Like a
 * vendor's processing, the scale adapts to the breast: air at 0, the breast's densest 0.5% near the
 * top of the range.
 */
export function presentationValues(measured: Float32Array, bitsStored: number, breastMask?: Uint8Array): Uint16Array {
  const max = 2 ** bitsStored - 1;
  const fullScale = 1.1 * percentileInMask(measured, breastMask, 0.995);
  const out = new Uint16Array(measured.length);
  for (let i = 0; i < out.length; i++) {
    const v = Math.round((measured[i] / fullScale) * max);
    out[i] = v < 0 ? 0 : v > max ? max : v;
  }
  return out;
}

/** For Processing stored values: linear in detector dose, so dense tissue is low. */
export function processingValues(measured: Float32Array, bitsStored: number): Uint16Array {
  const max = 2 ** bitsStored - 1;
  const out = new Uint16Array(measured.length);
  for (let i = 0; i < out.length; i++) {
    const v = Math.round(max * 0.95 * Math.exp(-measured[i]));
    out[i] = v < 0 ? 0 : v > max ? max : v;
  }
  return out;
}

/** MONOCHROME1 stores the same picture inverted: the minimum value is displayed white. */
export function invertStoredValues(values: Uint16Array, bitsStored: number): Uint16Array {
  const max = 2 ** bitsStored - 1;
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = max - values[i];
  return out;
}

/** A window spanning the breast's 1st to 99th percentile of stored values. */
export function breastWindow(values: Uint16Array, mask: Uint8Array): { center: number; width: number } {
  const inside: number[] = [];
  const step = Math.max(1, Math.floor(values.length / 200000));
  for (let i = 0; i < values.length; i += step) if (mask[i]) inside.push(values[i]);
  if (inside.length === 0) return { center: 2048, width: 4096 };
  inside.sort((a, b) => a - b);
  const low = inside[Math.floor(inside.length * 0.01)];
  const high = inside[Math.floor(inside.length * 0.99)];
  return { center: Math.round((low + high) / 2), width: Math.max(2, high - low) };
}

/** The q-quantile of values inside the mask (all values when no mask), sampled for speed. */
export function percentileInMask(values: Float32Array, mask: Uint8Array | undefined, q: number): number {
  const sample: number[] = [];
  const step = Math.max(1, Math.floor(values.length / 200000));
  for (let i = 0; i < values.length; i += step) if (!mask || mask[i]) sample.push(values[i]);
  if (sample.length === 0) return 1;
  sample.sort((a, b) => a - b);
  return Math.max(1e-6, sample[Math.min(sample.length - 1, Math.floor(sample.length * q))]);
}
