/** Separable Gaussian blur of a small row-major grid, edges clamped. */
export function gaussianBlur(values: Float32Array, width: number, height: number, sigmaPx: number): Float32Array {
  if (sigmaPx <= 0) return values.slice();
  const radius = Math.max(1, Math.ceil(3 * sigmaPx));
  const kernel = new Float32Array(2 * radius + 1);
  let total = 0;
  for (let k = -radius; k <= radius; k++) {
    kernel[k + radius] = Math.exp(-(k * k) / (2 * sigmaPx * sigmaPx));
    total += kernel[k + radius];
  }
  for (let k = 0; k < kernel.length; k++) kernel[k] /= total;
  const temp = new Float32Array(values.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) {
        const xx = Math.min(width - 1, Math.max(0, x + k));
        sum += kernel[k + radius] * values[y * width + xx];
      }
      temp[y * width + x] = sum;
    }
  }
  const out = new Float32Array(values.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) {
        const yy = Math.min(height - 1, Math.max(0, y + k));
        sum += kernel[k + radius] * temp[yy * width + x];
      }
      out[y * width + x] = sum;
    }
  }
  return out;
}
