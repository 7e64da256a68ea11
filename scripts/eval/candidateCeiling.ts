import type { Point } from '../../src/findings/types';
import { clusterMarkHits, insideRegion, type EvaluationCase, type TruthCluster } from './evaluationCases';

/**
 * The candidate ceiling: the true clusters that some candidate cluster hits, reported or not (every
 * candidate the detector's specks form, before the reducer's floor). No reducer, blend or floor can
 * report more, so a gap between it and the cluster FROC is the ranking's, and the rest of the way to
 * 1 is the detector's (models/HISTORY.md, "Checked 2026-12-06, forty-sixth session"). Hits and false
 * candidates are counted as the cluster FROC counts marks: centre inside a true cluster's region,
 * and a candidate at an unlisted real finding is neither.
 */
export class CandidateCeiling {
  private readonly outcomes: { cluster: TruthCluster; hit: boolean }[] = [];
  private falseCandidates = 0;
  private images = 0;

  addImage(c: Pick<EvaluationCase, 'id' | 'clusters' | 'unscored'>, candidateCentres: readonly Point[]): void {
    for (const t of c.clusters) this.outcomes.push({ cluster: t, hit: candidateCentres.some((p) => insideRegion(p, t.region)) });
    for (const p of candidateCentres) {
      if (clusterMarkHits(p, c)?.length === 0) this.falseCandidates++;
    }
    this.images++;
  }

  /** The share of the true clusters `which` selects (all by default) that some candidate hits; null
   * without such clusters, as the FROCs give NaN (null in JSON). */
  sensitivity(which: (t: TruthCluster) => boolean = () => true): number | null {
    const selected = this.outcomes.filter((o) => which(o.cluster));
    return selected.length > 0 ? selected.filter((o) => o.hit).length / selected.length : null;
  }

  summary(): { sensitivity: number | null; falseCandidatesPerImage: number } {
    return { sensitivity: this.sensitivity(), falseCandidatesPerImage: this.images > 0 ? this.falseCandidates / this.images : 0 };
  }
}
