import type { Point } from '../../src/findings/types';
import type { ScoredMark } from './froc';
import { distanceToSpeck, isTargetSpeck, type TruthSpeck } from './evaluationCases';

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
