import type { ClusterSpeck } from '../../src/classify/clusterSpeck';
import type { CalcificationDistribution, CalcificationType } from '../../src/findings/types';
import { SeededRandom } from '../../src/synth/random';

/**
 * Synthetic calcification clusters for the classifier, drawn from the LESIONS.md table: the
 * morphology sets the prior share of malignancy (fine linear branching 84%, fine linear 81%, fine
 * pleomorphic 53%, amorphous 11%, coarse heterogeneous 13%, punctate/round mostly benign); the
 * pathology then shapes the cluster (malignant: 8-40 specks, size variation ≥ 0.4, linear or
 * segmental layouts toward the nipple; benign: 3-10 uniform specks, grouped). Overlap is deliberate.
 * With detectionNoise the specks look as the detector reports them: 10-60 % missed, sizes and
 * contrasts measured with error, small specks' shape unknown, a stray false speck or two.
 */
export interface SyntheticCluster {
  specks: ClusterSpeck[];
  nippleMm: { x: number; y: number };
  pathology: 'benign' | 'malignant';
  morphology: CalcificationType;
  distribution: CalcificationDistribution;
}

const MORPHOLOGY_PRIOR: [CalcificationType, number, number][] = [
  // type, share of clusters, share malignant
  ['fineLinearBranching', 0.12, 0.84],
  ['fineLinear', 0.08, 0.81],
  ['finePleomorphic', 0.2, 0.53],
  ['amorphous', 0.15, 0.11],
  ['coarseHeterogeneous', 0.1, 0.13],
  ['punctate', 0.2, 0.03],
  ['round', 0.15, 0.02],
];

const SIZE_MM: Record<string, [number, number]> = {
  fineLinearBranching: [0.1, 0.3],
  fineLinear: [0.1, 0.3],
  finePleomorphic: [0.1, 0.5],
  amorphous: [0.1, 0.3],
  coarseHeterogeneous: [0.5, 1.5],
  punctate: [0.1, 0.5],
  round: [0.5, 1.0],
};

function pickWeighted<T>(rng: SeededRandom, items: [T, number][]): T {
  let u = rng.next() * items.reduce((s, [, w]) => s + w, 0);
  for (const [item, w] of items) {
    u -= w;
    if (u <= 0) return item;
  }
  return items[items.length - 1][0];
}

export function sampleCluster(rng: SeededRandom, detectionNoise: boolean): SyntheticCluster {
  const [morphology, , malignantShare] = pickWeighted(rng, MORPHOLOGY_PRIOR.map((m) => [m, m[1]] as [typeof m, number]));
  const malignant = rng.chance(malignantShare);
  const linearForm = morphology === 'fineLinear' || morphology === 'fineLinearBranching';
  const count = malignant ? Math.round(rng.logUniform(6, 40)) : Math.round(rng.logUniform(3, morphology === 'amorphous' || morphology === 'coarseHeterogeneous' ? 15 : 10));
  const distribution: CalcificationDistribution = malignant
    ? pickWeighted(rng, [['grouped', 0.45], ['linear', 0.25], ['segmental', 0.3]])
    : pickWeighted(rng, [['grouped', 0.75], ['regional', 0.15], ['linear', 0.1]]);

  // Layout axis: toward the nipple for malignant ductal layouts, anywhere otherwise.
  const toNipple = rng.uniform(0, 2 * Math.PI);
  const nippleDistance = rng.uniform(30, 80);
  const nippleMm = { x: nippleDistance * Math.cos(toNipple), y: nippleDistance * Math.sin(toNipple) };
  const axis = malignant && distribution !== 'grouped' ? toNipple + rng.normal() * 0.25 : rng.uniform(0, Math.PI);
  const [ux, uy] = [Math.cos(axis), Math.sin(axis)];

  const [dMin, dMax] = SIZE_MM[morphology];
  const baseDiameter = rng.uniform(dMin, (dMin + dMax) / 2);
  const sizeVariation = malignant || morphology === 'finePleomorphic' || morphology === 'coarseHeterogeneous' ? rng.uniform(0.35, 0.7) : rng.uniform(0.05, 0.25);
  const contrastVariation = malignant ? rng.uniform(0.3, 0.6) : rng.uniform(0.1, 0.35);
  const baseCnr = rng.logUniform(2, 10);
  const linearShare = linearForm ? rng.uniform(0.4, 0.9) : morphology === 'finePleomorphic' ? rng.uniform(0, 0.25) : 0;

  const specks: ClusterSpeck[] = [];
  for (let i = 0; i < count; i++) {
    let along: number;
    let across: number;
    if (distribution === 'linear') {
      along = rng.uniform(-1, 1) * rng.uniform(4, 12);
      across = rng.normal() * rng.uniform(0.3, 0.8);
    } else if (distribution === 'segmental') {
      const t = rng.next();
      along = (t - 0.5) * rng.uniform(15, 30);
      across = rng.normal() * (1 + 4 * t); // wedge widening away from the nipple
      along = -along;
    } else if (distribution === 'regional') {
      along = rng.normal() * rng.uniform(5, 10);
      across = rng.normal() * rng.uniform(5, 10);
    } else {
      along = rng.normal() * rng.uniform(1.2, 3);
      across = rng.normal() * rng.uniform(1.2, 3);
    }
    const diameterMm = Math.min(Math.max(baseDiameter * Math.exp(rng.normal() * sizeVariation), 0.08), 2);
    const linear = rng.chance(linearShare);
    specks.push({
      xMm: along * ux - across * uy,
      yMm: along * uy + across * ux,
      diameterMm,
      contrast: Math.max(0.5, baseCnr * Math.exp(rng.normal() * contrastVariation)),
      elongation: linear ? rng.uniform(2.5, 10) : 1 + Math.abs(rng.normal()) * 0.3,
    });
  }
  const cluster: SyntheticCluster = { specks, nippleMm, pathology: malignant ? 'malignant' : 'benign', morphology, distribution };
  return detectionNoise ? asDetected(rng, cluster) : cluster;
}

function asDetected(rng: SeededRandom, c: SyntheticCluster): SyntheticCluster {
  // Near the detection limit the detector misses many specks: 10-60 % per cluster (hold-out studies).
  const missRate = rng.uniform(0.1, 0.6);
  let specks = c.specks.filter(() => !rng.chance(missRate));
  if (specks.length < 3) specks = c.specks.slice(0, 3);
  specks = specks.map((s) => ({
    ...s,
    diameterMm: s.diameterMm * Math.exp(rng.normal() * 0.2),
    contrast: Math.max(0.2, s.contrast * (1 + rng.normal() * 0.2)),
    // Below about 3 px (0.2 mm at 70 µm) the detector cannot tell a short line from a dot.
    elongation: s.diameterMm < 0.2 && s.elongation < 4 ? 1 + Math.abs(rng.normal()) * 0.4 : s.elongation * Math.exp(rng.normal() * 0.2),
  }));
  const strays = rng.int(0, 2);
  for (let i = 0; i < strays; i++) {
    const anchor = rng.pick(specks);
    specks.push({ xMm: anchor.xMm + rng.normal() * 3, yMm: anchor.yMm + rng.normal() * 3, diameterMm: rng.uniform(0.1, 0.3), contrast: rng.uniform(1, 3), elongation: 1 + Math.abs(rng.normal()) * 0.5 });
  }
  return { ...c, specks };
}

export function sampleClusters(count: number, seed: number, detectionNoise: boolean): SyntheticCluster[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, (_, i) => sampleCluster(rng.fork(i), detectionNoise));
}
