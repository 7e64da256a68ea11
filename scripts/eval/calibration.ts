/** Upper edges of the reliability bins of P(malignant): finer near the ends, where readers act on it. */
const BIN_EDGES = [0.2, 0.4, 0.6, 0.8, 0.95, 1];

export interface ReliabilityBin {
  /** P(malignant) from (inclusive) .. to (exclusive; the last bin includes 1). */
  from: number;
  to: number;
  clusters: number;
  meanProbability: number;
  malignantShare: number;
}

/**
 * How far a probability can be taken at its word: the Brier score (mean squared difference between
 * P(malignant) and the truth, 0 best) and, per bin of P, the share of those clusters that are
 * malignant. A site checks this on its own cases before reading 0.9 as "nine in ten".
 */
export function calibration(
  probabilities: number[],
  malignant: boolean[],
): { brier: number; bins: ReliabilityBin[] } {
  // NaN without clusters, as rocAuc.
  const brier =
    probabilities.reduce((sum, p, i) => sum + (p - (malignant[i] ? 1 : 0)) ** 2, 0) / probabilities.length;
  const bins: ReliabilityBin[] = [];
  let from = 0;
  for (const to of BIN_EDGES) {
    const inBin = probabilities.flatMap((p, i) => (p >= from && (p < to || to === 1) ? [i] : []));
    if (inBin.length > 0) {
      bins.push({
        from,
        to,
        clusters: inBin.length,
        meanProbability: inBin.reduce((s, i) => s + probabilities[i], 0) / inBin.length,
        malignantShare: inBin.filter((i) => malignant[i]).length / inBin.length,
      });
    }
    from = to;
  }
  return { brier, bins };
}
