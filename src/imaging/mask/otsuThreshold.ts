/** Otsu's threshold over a histogram: the bin edge that maximises the between-class variance. */
export function otsuThresholdBin(histogram: Float64Array | Uint32Array): number {
  let total = 0;
  let sumAll = 0;
  for (let i = 0; i < histogram.length; i++) {
    total += histogram[i];
    sumAll += i * histogram[i];
  }
  let weightLow = 0;
  let sumLow = 0;
  let best = 0;
  let bestBin = 0;
  for (let i = 0; i < histogram.length - 1; i++) {
    weightLow += histogram[i];
    sumLow += i * histogram[i];
    const weightHigh = total - weightLow;
    if (weightLow === 0 || weightHigh === 0) continue;
    const diff = sumLow / weightLow - (sumAll - sumLow) / weightHigh;
    const between = weightLow * weightHigh * diff * diff;
    if (between > best) {
      best = between;
      bestBin = i;
    }
  }
  // Values in bins 0..bestBin form the low class.
  return bestBin;
}
