/** Area under the ROC curve (Mann-Whitney U, ties counted half). NaN when a class is empty. */
export function rocAuc(scores: number[], positive: boolean[]): number {
  const items = scores.map((s, i) => ({ s, p: positive[i] })).sort((a, b) => a.s - b.s);
  let rankSumPositive = 0;
  let nPos = 0;
  for (let i = 0; i < items.length; ) {
    let j = i;
    while (j < items.length && items[j].s === items[i].s) j++;
    const midRank = (i + j + 1) / 2; // 1-based average rank of the tie block
    for (let k = i; k < j; k++) {
      if (items[k].p) {
        rankSumPositive += midRank;
        nPos++;
      }
    }
    i = j;
  }
  const nNeg = items.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPositive - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Sensitivity and specificity when scores at or above the threshold are called positive. */
export function sensitivitySpecificity(scores: number[], positive: boolean[], threshold: number) {
  let tp = 0;
  let fn = 0;
  let tn = 0;
  let fp = 0;
  scores.forEach((s, i) => {
    const called = s >= threshold;
    if (positive[i]) {
      if (called) tp++;
      else fn++;
    } else if (called) fp++;
    else tn++;
  });
  return { sensitivity: tp + fn ? tp / (tp + fn) : NaN, specificity: tn + fp ? tn / (tn + fp) : NaN, tp, fn, tn, fp };
}

/** Cuts a site chooses `inference.operatingPoint` from: the report lists each one's sensitivity and specificity. */
export const OPERATING_POINT_CUTS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** Sensitivity and specificity at each cut, so the operating point can be chosen on a site's own cases. */
export function sensitivitySpecificityByCut(scores: number[], positive: boolean[], cuts: number[] = OPERATING_POINT_CUTS) {
  return cuts.map((cut) => ({ cut, ...sensitivitySpecificity(scores, positive, cut) }));
}
