/**
 * Per-speck sensitivity at the speck threshold, by the truth's CNR: which contrast the detector stops
 * finding at. The per-speck FROC mixes all CNRs; this split showed (models/HISTORY.md, "the heatmap
 * at each speck by form and CNR") that the per-speck target is lost in the CNR 3-4.5 band.
 */

/** Lower edges of the CNR bands; the last band is open. */
export const SPECK_CNR_BAND_EDGES = [1.5, 3, 4.5, 7] as const;

export interface SpeckOutcome {
  cnr: number;
  diameterMm: number;
  /** Some detected speck (at or above the speck threshold) lies within the hit distance. */
  found: boolean;
}

export interface CnrBandSensitivity {
  /** "1.5-3", "3-4.5", "4.5-7", "7+" */
  cnr: string;
  specks: number;
  /** Share found; null for an empty band. */
  sensitivity: number | null;
}

/** Specks of at least minDiameterMm, by CNR band; specks below the first edge are left out. */
export function speckSensitivityByCnrBand(
  outcomes: SpeckOutcome[],
  minDiameterMm = 0.2,
): CnrBandSensitivity[] {
  return SPECK_CNR_BAND_EDGES.map((low, i) => {
    const high = SPECK_CNR_BAND_EDGES[i + 1] ?? Infinity;
    const inBand = outcomes.filter((o) => o.diameterMm >= minDiameterMm && o.cnr >= low && o.cnr < high);
    return {
      cnr: high === Infinity ? `${low}+` : `${low}-${high}`,
      specks: inBand.length,
      sensitivity: inBand.length > 0 ? inBand.filter((o) => o.found).length / inBand.length : null,
    };
  });
}
