import type { DecodedImage } from './decodedImage';
import type { ImageHeader } from './imageHeader';

/**
 * Stored values → one float per pixel where HIGHER MEANS MORE ATTENUATING (dense tissue and
 * calcifications bright), on the original grid:
 * 1. Modality LUT: the LUT Sequence when present, else Rescale Slope/Intercept (default 1/0).
 * 2. For Processing ("raw") images are linear in detector dose; take the natural log so contrast is
 *    proportional to attenuation, as in For Presentation images (values ≤ 1 are clamped to 1).
 * 3. MONOCHROME1 (minimum displayed white) is negated, so bright always means attenuating. For
 *    Processing images are usually MONOCHROME1 too, which turns log-dose into -log(dose).
 * Offsets do not matter: normalizeIntensity.ts removes them. Values ≤ 16 bits go through one 64k
 * look-up table (so the log costs nothing per pixel); 32-bit values are computed directly.
 */
export function calibrateIntensity(decoded: DecodedImage, header: ImageHeader): Float32Array {
  const sign = header.photometricInterpretation === 'MONOCHROME1' ? -1 : 1;
  const forProcessing = header.presentationIntentType === 'FOR PROCESSING';
  const slope = header.rescaleSlope ?? 1;
  const intercept = header.rescaleIntercept ?? 0;
  const lut = header.modalityLut;

  const toModality = (stored: number): number => {
    if (lut) {
      const i = Math.min(lut.entryCount - 1, Math.max(0, stored - lut.firstStoredValue));
      return lut.data[i];
    }
    return stored * slope + intercept;
  };
  const calibrate = (stored: number): number => {
    const m = toModality(stored);
    return sign * (forProcessing ? Math.log(Math.max(m, 1)) : m);
  };

  const src = decoded.pixels;
  const n = src.length;
  const out = new Float32Array(n);
  if (src instanceof Int32Array) {
    for (let i = 0; i < n; i++) out[i] = calibrate(src[i]);
    return out;
  }
  // Table over every value the array type can hold; signed values are offset by 32768.
  const offset = src instanceof Int16Array ? 32768 : 0;
  const size = src instanceof Uint8Array ? 256 : 65536;
  const table = new Float32Array(size);
  for (let v = 0; v < size; v++) table[v] = calibrate(v - offset);
  if (offset === 0) for (let i = 0; i < n; i++) out[i] = table[src[i]];
  else for (let i = 0; i < n; i++) out[i] = table[src[i] + offset];
  return out;
}
