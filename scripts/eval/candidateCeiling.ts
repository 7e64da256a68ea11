import type { Point } from '../../src/findings/types';
import { inUnscoredRegion, insideRegion, type EvaluationCase } from './evaluationCases';

/**
 * The candidate ceiling: the true clusters that some candidate cluster hits, reported or not (every
 * candidate the detector's specks form, before the reducer's floor). No reducer, blend or floor can
 * report more, so a gap between it and the cluster FROC is the ranking's, and the rest of the way to
 * 1 is the detector's (models/HISTORY.md, "Checked 2026-12-06, forty-sixth session"). Hits and false
 * candidates are counted as the cluster FROC counts marks: centre inside a true cluster's region,
 * and a candidate at an unlisted real finding is neither.
 */
export class CandidateCeiling {
  private readonly hit = new Set<string>();
  private falseCandidates = 0;
  private images = 0;
  private trueClusters = 0;

  addImage(c: Pick<EvaluationCase, 'id' | 'clusters' | 'unscored'>, candidateCentres: readonly Point[]): void {
    for (const p of candidateCentres) {
      const hits = c.clusters.filter((t) => insideRegion(p, t.region));
      for (const t of hits) this.hit.add(`${c.id}#${t.id}`);
      if (hits.length === 0 && !inUnscoredRegion(p, c)) this.falseCandidates++;
    }
    this.images++;
    this.trueClusters += c.clusters.length;
  }

  /** Null sensitivity without true clusters, as the FROCs give NaN (null in JSON). */
  summary(): { sensitivity: number | null; falseCandidatesPerImage: number } {
    return {
      sensitivity: this.trueClusters > 0 ? this.hit.size / this.trueClusters : null,
      falseCandidatesPerImage: this.images > 0 ? this.falseCandidates / this.images : 0,
    };
  }
}
