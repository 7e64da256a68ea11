/**
 * Binary image operations on Uint8Array masks (1 = set), row-major width × height. Iterative, with
 * typed-array stacks, so large masks neither recurse nor allocate per pixel.
 */

/** Keeps only the largest 4-connected component of set pixels. Returns its size. */
export function keepLargestComponent(mask: Uint8Array, width: number, _height: number): number {
  const labels = new Int32Array(mask.length);
  const stack = new Int32Array(mask.length);
  let bestLabel = 0;
  let bestSize = 0;
  let label = 0;
  for (let seed = 0; seed < mask.length; seed++) {
    if (!mask[seed] || labels[seed]) continue;
    label++;
    let size = 0;
    let top = 0;
    stack[top++] = seed;
    labels[seed] = label;
    while (top > 0) {
      const p = stack[--top];
      size++;
      const x = p % width;
      if (x > 0 && mask[p - 1] && !labels[p - 1]) {
        labels[p - 1] = label;
        stack[top++] = p - 1;
      }
      if (x < width - 1 && mask[p + 1] && !labels[p + 1]) {
        labels[p + 1] = label;
        stack[top++] = p + 1;
      }
      if (p >= width && mask[p - width] && !labels[p - width]) {
        labels[p - width] = label;
        stack[top++] = p - width;
      }
      if (p + width < mask.length && mask[p + width] && !labels[p + width]) {
        labels[p + width] = label;
        stack[top++] = p + width;
      }
    }
    if (size > bestSize) {
      bestSize = size;
      bestLabel = label;
    }
  }
  for (let i = 0; i < mask.length; i++) mask[i] = labels[i] === bestLabel && bestLabel > 0 ? 1 : 0;
  return bestSize;
}

/** Sets every unset pixel that is not 4-connected to the image border (fills holes). */
export function fillHoles(mask: Uint8Array, width: number, height: number): void {
  const outside = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  let top = 0;
  const push = (p: number): void => {
    if (!mask[p] && !outside[p]) {
      outside[p] = 1;
      stack[top++] = p;
    }
  };
  for (let x = 0; x < width; x++) {
    push(x);
    push((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    push(y * width);
    push(y * width + width - 1);
  }
  while (top > 0) {
    const p = stack[--top];
    const x = p % width;
    if (x > 0) push(p - 1);
    if (x < width - 1) push(p + 1);
    if (p >= width) push(p - width);
    if (p + width < mask.length) push(p + width);
  }
  for (let i = 0; i < mask.length; i++) if (!outside[i]) mask[i] = 1;
}

/** 3×3 erosion (`erode` true) or dilation; pixels outside the image count as unset for erosion. */
export function morph3x3(mask: Uint8Array, width: number, height: number, erode: boolean): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let hit = erode ? 1 : 0;
      for (let dy = -1; dy <= 1 && (erode ? hit : !hit); dy++) {
        const yy = y + dy;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const inside = yy >= 0 && yy < height && xx >= 0 && xx < width;
          const v = inside ? mask[yy * width + xx] : 0;
          if (erode && !v) {
            hit = 0;
            break;
          }
          if (!erode && v) {
            hit = 1;
            break;
          }
        }
      }
      out[y * width + x] = hit;
    }
  }
  return out;
}
