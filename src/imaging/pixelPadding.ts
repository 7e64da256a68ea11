/**
 * Pixel Padding Value (0028,0120), with Pixel Padding Range Limit (0028,0121) when present: stored
 * values that are not part of the image (PS3.3 C.7.5.1.1.2), e.g. the frame around a non-rectangular
 * field. A vendor may pad with the most attenuating value (0 on MONOCHROME1), which calibrates as
 * bright as dense tissue and would join the breast mask. Only padding connected to the image's
 * border is taken out: a saturated calcification inside the breast can hold the same stored value.
 */
export interface PixelPadding {
  /** Inclusive range of padding stored values. */
  low: number;
  high: number;
}

/** The padding range from the two attributes' values (already as signed numbers where the pixels are signed). */
export function pixelPaddingRange(
  value: number | undefined,
  rangeLimit: number | undefined,
): PixelPadding | undefined {
  if (value === undefined) return undefined;
  const limit = rangeLimit ?? value;
  return { low: Math.min(value, limit), high: Math.max(value, limit) };
}

/**
 * Sets the border-connected padding pixels of `calibrated` to the least attenuating value of the
 * image's other pixels, so they read as air. Returns how many pixels were set.
 */
export function paddingToBackground(
  calibrated: Float32Array,
  stored: ArrayLike<number>,
  width: number,
  height: number,
  padding: PixelPadding,
): number {
  const isPadding = (i: number) => stored[i] >= padding.low && stored[i] <= padding.high;
  let candidates = 0;
  for (let i = 0; i < stored.length; i++) if (isPadding(i)) candidates++;
  if (candidates === 0) return 0;

  // Breadth-first over 4-neighbours from every padding pixel on the border.
  const reached = new Uint8Array(width * height);
  const queue = new Int32Array(candidates);
  let tail = 0;
  const visit = (i: number) => {
    if (reached[i] || !isPadding(i)) return;
    reached[i] = 1;
    queue[tail++] = i;
  };
  for (let x = 0; x < width; x++) {
    visit(x);
    visit((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    visit(y * width);
    visit(y * width + width - 1);
  }
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    const x = i % width;
    if (x > 0) visit(i - 1);
    if (x < width - 1) visit(i + 1);
    if (i >= width) visit(i - width);
    if (i + width < width * height) visit(i + width);
  }
  if (tail === 0) return 0;

  let background = Infinity;
  for (let i = 0; i < calibrated.length; i++)
    if (!reached[i] && calibrated[i] < background) background = calibrated[i];
  if (!Number.isFinite(background)) background = 0;
  for (let k = 0; k < tail; k++) calibrated[queue[k]] = background;
  return tail;
}
