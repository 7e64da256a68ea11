/**
 * Separable resampling of a float image to a new grid size covering the same area. Per axis the
 * scale is newSize / oldSize. Enlarging uses bilinear interpolation at output pixel centres;
 * shrinking uses area averaging (each output pixel is the overlap-weighted mean of the source pixels
 * under it), so fine specks are averaged rather than skipped. Weights are precomputed per axis once.
 */
interface AxisTaps {
  /** Taps of output j are indices[start[j] .. start[j+1]). */
  start: Int32Array;
  indices: Int32Array;
  weights: Float32Array;
}

function axisTaps(oldSize: number, newSize: number): AxisTaps {
  const scale = newSize / oldSize;
  const start = new Int32Array(newSize + 1);
  const idx: number[] = [];
  const wts: number[] = [];
  for (let j = 0; j < newSize; j++) {
    start[j] = idx.length;
    if (scale >= 1) {
      const u = (j + 0.5) / scale - 0.5;
      const i0 = Math.floor(u);
      const f = u - i0;
      const a = Math.min(oldSize - 1, Math.max(0, i0));
      const b = Math.min(oldSize - 1, Math.max(0, i0 + 1));
      idx.push(a, b);
      wts.push(1 - f, f);
    } else {
      const lo = j / scale;
      const hi = Math.min(oldSize, (j + 1) / scale);
      let total = 0;
      const first = idx.length;
      for (let i = Math.floor(lo); i < Math.ceil(hi); i++) {
        const w = Math.min(hi, i + 1) - Math.max(lo, i);
        if (w > 1e-9) {
          idx.push(i);
          wts.push(w);
          total += w;
        }
      }
      for (let k = first; k < wts.length; k++) wts[k] /= total;
    }
  }
  start[newSize] = idx.length;
  return { start, indices: Int32Array.from(idx), weights: Float32Array.from(wts) };
}

export function resampleImage(
  src: Float32Array,
  columns: number,
  rows: number,
  width: number,
  height: number,
): Float32Array {
  if (width === columns && height === rows) return src;
  const tx = axisTaps(columns, width);
  const ty = axisTaps(rows, height);
  // Horizontal pass: every source row → `width` samples.
  const mid = width === columns ? src : new Float32Array(rows * width);
  if (mid !== src) {
    const { start, indices, weights } = tx;
    const twoTaps = indices.length === 2 * width; // enlarging: bilinear, unrolled
    for (let r = 0; r < rows; r++) {
      const inRow = r * columns;
      const outRow = r * width;
      if (twoTaps) {
        for (let j = 0, k = 0; j < width; j++, k += 2) {
          mid[outRow + j] =
            weights[k] * src[inRow + indices[k]] + weights[k + 1] * src[inRow + indices[k + 1]];
        }
        continue;
      }
      for (let j = 0; j < width; j++) {
        let acc = 0;
        for (let k = start[j]; k < start[j + 1]; k++) acc += weights[k] * src[inRow + indices[k]];
        mid[outRow + j] = acc;
      }
    }
  }
  if (height === rows) return mid;
  // Vertical pass: whole rows at a time (contiguous memory).
  const out = new Float32Array(height * width);
  const { start, indices, weights } = ty;
  for (let i = 0; i < height; i++) {
    const outRow = i * width;
    for (let k = start[i]; k < start[i + 1]; k++) {
      const w = weights[k];
      const inRow = indices[k] * width;
      for (let j = 0; j < width; j++) out[outRow + j] += w * mid[inRow + j];
    }
  }
  return out;
}
