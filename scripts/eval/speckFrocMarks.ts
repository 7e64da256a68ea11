import type { Point } from '../../src/findings/types';
import type { ScoredMark } from './froc';
import { distanceToSpeck, inUnscoredRegion, isTargetSpeck, type EvaluationCase, type TruthSpeck } from './evaluationCases';

/** A speck mark hits a true speck within this distance (LESIONS.md: about 0.35 mm). */
export const SPECK_HIT_MM = 0.35;

/** A speck mark scored for the all-speck FROC and, unless it hits only smaller or fainter true specks, the target FROC. */
export interface SpeckFrocMark {
  all: ScoredMark;
  target: ScoredMark | null;
}

/** spacingMm: the original grid's, in which marks and truth are given. Hits are named caseId#index. */
export function speckFrocMarks(
  marks: { center: Point; score: number }[],
  truth: TruthSpeck[],
  caseId: string,
  spacingMm: number,
): SpeckFrocMark[] {
  const hitRadiusPx = SPECK_HIT_MM / spacingMm;
  return marks.map((m) => {
    const near = truth
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => distanceToSpeck(m.center, s, spacingMm) <= hitRadiusPx);
    const targetHits = near.filter(({ s }) => isTargetSpeck(s)).map(({ i }) => `${caseId}#${i}`);
    return {
      all: { score: m.score, hits: near.map(({ i }) => `${caseId}#${i}`) },
      target: targetHits.length > 0 || near.length === 0 ? { score: m.score, hits: targetHits } : null,
    };
  });
}

/**
 * The speck marks an image's per-speck FROC scores: all but those that hit no true speck and lie
 * where the image holds a real finding the truth does not list (EvaluationCase.unscored). The
 * evaluation and the trainers that score marks (dump:speck-crops, train:speck-certainty) use the
 * same marks, so their per-speck rows agree.
 */
export function scoredSpeckMarks<T extends { center: Point }>(
  marks: T[],
  truth: TruthSpeck[],
  c: Pick<EvaluationCase, 'unscored' | 'spacingMm'>,
): T[] {
  if (!c.unscored?.length) return marks;
  const hitRadiusPx = SPECK_HIT_MM / c.spacingMm;
  return marks.filter((m) => !inUnscoredRegion(m.center, c) || truth.some((s) => distanceToSpeck(m.center, s, c.spacingMm) <= hitRadiusPx));
}
