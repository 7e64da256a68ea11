/**
 * A coarse copy of the working image for whole-image decisions (the breast mask, the implant region):
 * block means on a grid whose long side is about `longSide` cells, and the way back to full size.
 */
export interface ReducedGrid {
  width: number;
  height: number;
  /** Pixels per cell side. */
  factor: number;
  sw: number;
  sh: number;
}

export function reducedGrid(width: number, height: number, longSide: number): ReducedGrid {
  const factor = Math.max(1, Math.ceil(Math.max(width, height) / longSide));
  return { width, height, factor, sw: Math.ceil(width / factor), sh: Math.ceil(height / factor) };
}

/** Mean of each cell (edge cells hold fewer pixels). */
export function blockMean(pixels: Float32Array, grid: ReducedGrid): Float32Array {
  const { width, height, factor, sw, sh } = grid;
  const sum = new Float64Array(sw * sh);
  for (let y = 0; y < height; y++) {
    const srow = ((y / factor) | 0) * sw;
    const row = y * width;
    for (let bx = 0, x = 0; bx < sw; bx++) {
      const end = Math.min(width, x + factor);
      let acc = 0;
      for (; x < end; x++) acc += pixels[row + x];
      sum[srow + bx] += acc;
    }
  }
  const out = new Float32Array(sw * sh);
  for (let by = 0; by < sh; by++) {
    const rowsIn = Math.min(factor, height - by * factor);
    for (let bx = 0; bx < sw; bx++)
      out[by * sw + bx] = sum[by * sw + bx] / (rowsIn * Math.min(factor, width - bx * factor));
  }
  return out;
}

/** A mask on the reduced grid back at full size: each cell becomes a run of `factor` pixels (native fill). */
export function expandToFullGrid(cells: Uint8Array, grid: ReducedGrid): Uint8Array {
  const { width, height, factor, sw } = grid;
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const srow = ((y / factor) | 0) * sw;
    const row = y * width;
    for (let bx = 0; bx < sw; bx++) {
      if (!cells[srow + bx]) continue;
      const x0 = bx * factor;
      mask.fill(1, row + x0, row + Math.min(width, x0 + factor));
    }
  }
  return mask;
}

/** How many full-size pixels the set cells cover (edge cells hold fewer): expandToFullGrid's count, without a pass over it. */
export function fullGridPixelCount(cells: Uint8Array, grid: ReducedGrid): number {
  const { width, height, factor, sw, sh } = grid;
  let count = 0;
  for (let by = 0; by < sh; by++) {
    const rowsIn = Math.min(factor, height - by * factor);
    for (let bx = 0; bx < sw; bx++) if (cells[by * sw + bx]) count += rowsIn * Math.min(factor, width - bx * factor);
  }
  return count;
}
