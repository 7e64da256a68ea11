import { PNG } from 'pngjs';

/** Encodes a float image as an 8-bit greyscale PNG, mapping [low, high] to [0, 255]. */
export function greyscalePng(values: Float32Array | Uint16Array, width: number, height: number, low: number, high: number): Buffer {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  const data = Buffer.alloc(width * height);
  const scale = 255 / Math.max(high - low, 1e-12);
  for (let i = 0; i < width * height; i++) data[i] = Math.max(0, Math.min(255, Math.round((values[i] - low) * scale)));
  png.data = data;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
}
