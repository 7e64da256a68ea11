import type { DecodedImage } from '../../imaging';
import { allValues, firstValue, type NaturalDataset } from '../naturalDataset';

/** An 8-bit greyscale picture of the source image, downscaled by `scale` (output = source * scale). */
export interface DisplayImage {
  width: number;
  height: number;
  scale: number;
  grey: Uint8Array;
}

/**
 * Modality LUT (rescale), the header's first window (min/max when it has none), MONOCHROME1
 * inverted so dense tissue is bright, then box-free nearest sampling down to maxWidth.
 */
export function toDisplayImage(
  decoded: DecodedImage,
  header: NaturalDataset,
  maxWidth: number,
): DisplayImage {
  const slope = Number(firstValue(header, 'RescaleSlope') ?? 1);
  const intercept = Number(firstValue(header, 'RescaleIntercept') ?? 0);
  const { rows, columns, pixels } = decoded;
  let center = Number(allValues(header, 'WindowCenter')[0]);
  let width = Number(allValues(header, 'WindowWidth')[0]);
  if (!Number.isFinite(center) || !Number.isFinite(width) || width < 1) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i] * slope + intercept;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    center = (lo + hi) / 2;
    width = Math.max(1, hi - lo);
  }
  const invert = String(firstValue(header, 'PhotometricInterpretation') ?? '') === 'MONOCHROME1';
  const scale = Math.min(1, maxWidth / columns);
  const outW = Math.max(1, Math.round(columns * scale));
  const outH = Math.max(1, Math.round(rows * scale));
  const grey = new Uint8Array(outW * outH);
  const low = center - width / 2;
  for (let v = 0; v < outH; v++) {
    // Output pixel v covers source rows [v/scale, (v+1)/scale): sample its centre.
    const y = Math.min(rows - 1, Math.floor((v + 0.5) / scale));
    for (let u = 0; u < outW; u++) {
      const x = Math.min(columns - 1, Math.floor((u + 0.5) / scale));
      const value = pixels[y * columns + x] * slope + intercept;
      let g = Math.round(((value - low) / width) * 255);
      g = g < 0 ? 0 : g > 255 ? 255 : g;
      grey[v * outW + u] = invert ? 255 - g : g;
    }
  }
  return { width: outW, height: outH, scale, grey };
}
