import type { CalcificationDistribution, CalcificationType } from '../findings/types';
import type { ClusterFeatures } from './clusterFeatures';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** A morphology is reported beside the best one when it scores at least this share of it. */
const MORPHOLOGY_SHARE_OF_BEST = 0.3;

/**
 * Most likely BI-RADS morphologies, best first: those scoring at least 0.3 of the best, at most
 * three (a cluster of uniform 0.34 mm specks is punctate, not also round and heterogeneous). Soft
 * memberships built on the LESIONS.md table: fine linear forms are 0.1-0.3 mm wide and elongated;
 * fine pleomorphic 0.1-0.5 mm and varied; coarse heterogeneous 0.5-1.5 mm and irregular; punctate
 * below 0.5 mm and uniform; round 0.5-1 mm and uniform; amorphous 0.1-0.3 mm, faint and hazy, too
 * small for a shape to be told (BI-RADS), so below about 0.22 mm uniform specks are amorphous
 * rather than punctate (the measures hold no faintness apart from size). Large benign forms
 * (popcorn, rim, vascular) are not told apart by these measures and are never proposed.
 */
export function likelyMorphologies(f: ClusterFeatures): CalcificationType[] {
  const small = sigmoid((0.5 - f.meanDiameterMm) / 0.08);
  const tiny = sigmoid((0.25 - f.meanDiameterMm) / 0.04);
  const varied = sigmoid((f.diameterVariation - 0.35) / 0.07);
  const linear = Math.min(1, f.linearFraction * 2.5);
  const compact = 1 - linear;
  const many = sigmoid((Math.exp(f.logCount) - 8) / 2);
  const scores: [CalcificationType, number][] = [
    ['fineLinearBranching', linear * small * (0.8 + 0.2 * many)],
    ['fineLinear', linear * small * 0.9],
    ['finePleomorphic', compact * small * varied],
    ['coarseHeterogeneous', (1 - small) * varied],
    ['amorphous', compact * tiny * (1 - varied) * 0.95],
    ['punctate', compact * small * (1 - 0.5 * tiny) * (1 - varied)],
    ['round', compact * (1 - small) * (1 - varied)],
  ];
  scores.sort((a, b) => b[1] - a[1]);
  const best = scores[0][1];
  return scores
    .filter(([, score], i) => i === 0 || score >= MORPHOLOGY_SHARE_OF_BEST * best)
    .slice(0, 3)
    .map(([type]) => type);
}

/**
 * BI-RADS distribution of one cluster from its layout: a thin line of specks is linear (along a
 * duct); an elongated, larger layout pointing to the nipple is segmental (a wedge toward the nipple);
 * a spread of more than 2 cm without such a direction is regional; otherwise grouped (within about
 * 1 cm). "Diffuse" (scattered over the whole breast) is never named: one cluster's measures cannot
 * see it, and no report step adds it. Two specks always lie on a line, which says nothing of a
 * duct: a pair (inference.clusterMinSpecks 2) is grouped.
 */
export function likelyDistribution(f: ClusterFeatures): CalcificationDistribution {
  if (Math.round(Math.exp(f.logCount)) < 3) return 'grouped';
  const elongation = Math.exp(f.layoutElongation);
  if (elongation >= 3 && f.extentMm < 30) return 'linear';
  if (elongation >= 1.8 && f.extentMm >= 12 && f.nippleAlignment >= 0.7) return 'segmental';
  if (f.extentMm > 20) return 'regional';
  return 'grouped';
}
