import { scoreLogit } from '../../src/detect/clusterFilterFeatures';

/**
 * FROC from scored marks: each mark either hits some targets (ids) or is a false mark. Sweeping the
 * threshold down, sensitivity is the share of targets hit by at least one mark at or above it, and
 * the false-mark rate is false marks at or above it per image. Marks hitting only ignored targets
 * should be left out by the caller.
 */
export interface ScoredMark {
  score: number;
  hits: string[];
}

export interface FrocPoint {
  threshold: number;
  falseMarksPerImage: number;
  sensitivity: number;
}

export function frocCurve(marks: ScoredMark[], targetCount: number, imageCount: number): FrocPoint[] {
  const sorted = [...marks].sort((a, b) => b.score - a.score);
  const found = new Set<string>();
  let falseMarks = 0;
  // With no targets there is no sensitivity (NaN, null in JSON), as AUC with an empty class.
  const curve: FrocPoint[] = [{ threshold: Infinity, falseMarksPerImage: 0, sensitivity: targetCount > 0 ? 0 : NaN }];
  for (let i = 0; i < sorted.length; i++) {
    const m = sorted[i];
    if (m.hits.length === 0) falseMarks++;
    for (const h of m.hits) found.add(h);
    if (i + 1 < sorted.length && sorted[i + 1].score === m.score) continue;
    curve.push({
      threshold: m.score,
      falseMarksPerImage: falseMarks / Math.max(imageCount, 1),
      sensitivity: targetCount > 0 ? found.size / targetCount : NaN,
    });
  }
  return curve;
}

/** Best sensitivity reachable with at most `rate` false marks per image; NaN when there are no targets. */
export function sensitivityAt(curve: FrocPoint[], rate: number): { sensitivity: number; threshold: number } {
  if (!curve.some((p) => Number.isFinite(p.sensitivity))) return { sensitivity: NaN, threshold: Infinity };
  let best = { sensitivity: 0, threshold: Infinity };
  for (const p of curve) if (p.falseMarksPerImage <= rate && p.sensitivity >= best.sensitivity) best = { sensitivity: p.sensitivity, threshold: p.threshold };
  return best;
}

/**
 * The points where sensitivity rises, plus the last one: all a step plot and sensitivityAt need
 * (the false-mark rate only grows along the curve), and far fewer to store.
 */
export function frocSteps(curve: FrocPoint[]): FrocPoint[] {
  return curve.filter((p, i) => i === 0 || i === curve.length - 1 || p.sensitivity > curve[i - 1].sensitivity);
}

/**
 * A reporting floor at the knee of the curve: the best sensitivity reachable at ≤ `rate` false marks
 * per image, kept with as few false marks as possible. The floor sits halfway, in log-odds, between
 * the lowest-scored mark needed for that sensitivity and the next mark below it, so that a true
 * finding scored a little lower elsewhere still passes. Marks below the knee add false marks and no
 * sensitivity on this curve, so a floor at `rate` itself would only add false marks.
 */
export function kneeFloor(curve: FrocPoint[], rate: number): { floor: number; knee: FrocPoint } | undefined {
  const best = sensitivityAt(curve, rate).sensitivity;
  const index = curve.findIndex((p) => Number.isFinite(p.threshold) && p.sensitivity >= best);
  if (best <= 0 || index < 0) return undefined;
  const knee = curve[index];
  const below = index + 1 < curve.length ? curve[index + 1].threshold : 0;
  const mid = (scoreLogit(knee.threshold) + scoreLogit(below)) / 2;
  return { floor: 1 / (1 + Math.exp(-mid)), knee };
}

/**
 * A floor that passes at most `rate` false marks per image of `images` from these scores (the false
 * candidates of real normal tissue): halfway, in log-odds, between the lowest-scored mark the budget
 * keeps and the next one below, as kneeFloor places its floor. 0 when the budget passes them all.
 */
export function budgetFloor(falseScores: number[], images: number, rate: number): number {
  const sorted = [...falseScores].sort((a, b) => b - a);
  const allowed = Math.floor(rate * images + 1e-9);
  if (allowed >= sorted.length) return 0;
  const kept = allowed > 0 ? sorted[allowed - 1] : 1;
  const mid = (scoreLogit(kept) + scoreLogit(sorted[allowed])) / 2;
  return 1 / (1 + Math.exp(-mid));
}
