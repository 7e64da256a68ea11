/**
 * The evaluation's results gathered per breast, for the bootstrap's confidence intervals
 * (bootstrap.ts): each breast's cluster marks and true clusters (and those of the visible subset),
 * its per-speck marks and target specks, and its found clusters' malignancy scores.
 */
import { addImageToSubsets, clusterSubsets, type ClusterSubsets } from './clusterSubsets';
import type { TruthCluster } from './evaluationCases';
import type { ScoredMark } from './froc';
import type { FrocBandPoint } from './frocSvg';
import {
  DEFAULT_BOOTSTRAP,
  frocIntervals,
  rocIntervals,
  type BootstrapOptions,
  type FrocUnit,
  type Interval,
  type RocUnit,
} from './bootstrap';

interface BreastTally {
  clusters: FrocUnit;
  subsets: ClusterSubsets;
  specks: FrocUnit;
  malignancy: RocUnit;
}

export interface ConfidenceIntervals {
  method: string;
  breasts: number;
  clusterSensitivityAtFalseClustersPerImage: Record<string, Interval | null>;
  /** Synthetic sets only (null for annotated circles): clusters with at least 3 target specks. */
  visibleClusterSensitivityAtFalseClustersPerImage: Record<string, Interval | null> | null;
  /** Synthetic sets only: specks ≥ 0.2 mm at CNR ≥ 3. */
  speckSensitivityAtFalseMarksPerImage: Record<string, Interval | null> | null;
  /** Malignancy over the found clusters, then over breasts (each at its highest score): AUC, and sensitivity and specificity at the operating point. */
  perCluster: MalignancyIntervals;
  perBreast: MalignancyIntervals;
}

interface MalignancyIntervals {
  auc: Interval | null;
  sensitivity: Interval | null;
  specificity: Interval | null;
}

export class BreastTallies {
  private readonly tallies = new Map<string, BreastTally>();

  private tally(breast: string): BreastTally {
    let t = this.tallies.get(breast);
    if (!t) {
      t = {
        clusters: { images: 0, targets: 0, marks: [] },
        subsets: clusterSubsets(),
        specks: { images: 0, targets: 0, marks: [] },
        malignancy: { scores: [], positive: [] },
      };
      this.tallies.set(breast, t);
    }
    return t;
  }

  /** An image of the cluster FROC: its true clusters and its marks. */
  addClusterImage(breast: string, clusters: TruthCluster[], marks: ScoredMark[]): void {
    const t = this.tally(breast);
    t.clusters.images++;
    t.clusters.targets += clusters.length;
    t.clusters.marks.push(...marks);
    addImageToSubsets(t.subsets, clusters, marks);
  }

  /** An analysed image with annotated specks: its target specks and its speck marks. */
  addSpeckImage(breast: string, targets: number, marks: ScoredMark[]): void {
    const t = this.tally(breast);
    t.specks.images++;
    t.specks.targets += targets;
    t.specks.marks.push(...marks);
  }

  addFoundCluster(breast: string, malignancy: number, malignant: boolean): void {
    const t = this.tally(breast);
    t.malignancy.scores.push(malignancy);
    t.malignancy.positive.push(malignant);
  }

  /** The breasts with images in the cluster FROC (not those with unlocalised findings only). */
  private frocTallies(): BreastTally[] {
    return [...this.tallies.values()].filter((t) => t.clusters.images > 0);
  }

  /** The cluster FROC's 95 % interval at each rate, for the plot's band; rates without an interval are left out. */
  clusterFrocBand(rates: number[], options: BootstrapOptions = DEFAULT_BOOTSTRAP): FrocBandPoint[] {
    const intervals = frocIntervals(
      this.frocTallies().map((t) => t.clusters),
      rates,
      options,
    );
    return rates.flatMap((r) => {
      const i = intervals[String(r)];
      return i ? [{ falseMarksPerImage: r, lower: i[0], upper: i[1] }] : [];
    });
  }

  /**
   * Every interval of the report. breastScores: each breast's highest malignancy score and its truth,
   * for the per-breast measures (a breast without any found cluster also counts there).
   */
  intervals(
    rates: number[],
    speckAnnotated: boolean,
    breastScores: { score: number; malignant: boolean }[],
    operatingPoint: number,
    options: BootstrapOptions = DEFAULT_BOOTSTRAP,
  ): ConfidenceIntervals {
    const all = [...this.tallies.values()];
    const froc = this.frocTallies();
    const visible = froc.map((t) => ({
      images: t.clusters.images,
      targets: t.subsets.visible.trueClusters,
      marks: t.subsets.visible.marks,
    }));
    const specks = all.filter((t) => t.specks.images > 0).map((t) => t.specks);
    return {
      method: `percentile bootstrap over breasts, ${options.replicates} replicates, seed ${options.seed}`,
      breasts: breastScores.length,
      clusterSensitivityAtFalseClustersPerImage: frocIntervals(
        froc.map((t) => t.clusters),
        rates,
        options,
      ),
      visibleClusterSensitivityAtFalseClustersPerImage: speckAnnotated
        ? frocIntervals(visible, rates, options)
        : null,
      speckSensitivityAtFalseMarksPerImage: speckAnnotated ? frocIntervals(specks, rates, options) : null,
      perCluster: rocIntervals(
        all.map((t) => t.malignancy),
        operatingPoint,
        options,
      ),
      perBreast: rocIntervals(
        breastScores.map((b) => ({ scores: [b.score], positive: [b.malignant] })),
        operatingPoint,
        options,
      ),
    };
  }
}
