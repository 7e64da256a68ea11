import type { ClusterFinding } from '../findings/types';
import { type Code, codes } from './codes';
import type { ReportOptions, SpeckIntent } from './reportOptions';

/** Clusters at or above the operating point must be shown; the rest may be shown. */
export function clusterIntent(cluster: ClusterFinding, options: ReportOptions): Code {
  return cluster.malignancy >= options.operatingPoint
    ? codes.presentationRequired
    : codes.presentationOptional;
}

export function speckIntent(intent: SpeckIntent): Code {
  switch (intent) {
    case 'required':
      return codes.presentationRequired;
    case 'optional':
      return codes.presentationOptional;
    case 'notForPresentation':
      return codes.notForPresentation;
  }
}

export function isPresentationRequired(cluster: ClusterFinding, options: ReportOptions): boolean {
  return clusterIntent(cluster, options) === codes.presentationRequired;
}

/**
 * CAD operating points (TID 4023) on a 1..100 scale: operating point k shows every finding whose
 * probability of cancer is at least (100 - k) %, so a larger k is more sensitive. A finding's own
 * operating point is the smallest k at which it is shown; the recommended one is the configured
 * threshold, so exactly the Presentation Required findings are shown there.
 */
export const maximumOperatingPoint = 100;

/**
 * A probability as the SRs state it: percent to 0.1, rounded down like the operating points and the
 * GSPS label, so a cluster never reads as at the operating point while it is below it (0.2996 is
 * 29.9 %, not 30.0 %, under a 30 % operating point).
 */
export function reportedPercent(fraction: number): number {
  return Math.floor(fraction * 1000 + 1e-9) / 10;
}

export function operatingPointOf(probability: number): number {
  return Math.min(
    maximumOperatingPoint,
    Math.max(1, maximumOperatingPoint - Math.floor(probability * 100 + 1e-9)),
  );
}
