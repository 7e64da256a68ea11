import type { CalcificationDistribution, CalcificationType } from '../../findings/types';
import { SeededRandom } from '../random';

/** One speck of a recipe, before it is placed. */
export interface SpeckSpec {
  type: CalcificationType;
  diameterMm: number;
  lengthMm: number;
  cnr: number;
}

export interface ClusterRecipe {
  pathology: 'benign' | 'malignant';
  morphology: CalcificationType;
  distribution: CalcificationDistribution;
  specks: SpeckSpec[];
  /** True for the overlap cases LESIONS.md mentions: malignant that looks benign or the reverse. */
  atypical: boolean;
}

/** Size ranges (mm) per form, from the BI-RADS table in LESIONS.md. */
export const SIZE_RANGE_MM: Record<CalcificationType, { diameter: [number, number]; length: [number, number] }> = {
  punctate: { diameter: [0.1, 0.5], length: [0.1, 0.5] },
  round: { diameter: [0.5, 1.0], length: [0.5, 1.0] },
  amorphous: { diameter: [0.1, 0.3], length: [0.1, 0.3] },
  finePleomorphic: { diameter: [0.1, 0.5], length: [0.1, 0.5] },
  fineLinear: { diameter: [0.1, 0.3], length: [0.5, 3.0] },
  fineLinearBranching: { diameter: [0.1, 0.3], length: [0.5, 3.0] },
  coarseHeterogeneous: { diameter: [0.5, 1.5], length: [0.5, 1.5] },
  popcorn: { diameter: [2.0, 6.0], length: [2.0, 6.0] },
  vascular: { diameter: [0.8, 2.0], length: [6.0, 25.0] },
  rim: { diameter: [1.5, 5.0], length: [1.5, 5.0] },
};

/**
 * Contrast-to-noise ratio: 1.5-12 with many near the detection limit (LESIONS.md): 60% drawn from
 * 1.5-3, the rest log-uniform up to 12.
 */
export function drawCnr(random: SeededRandom): number {
  return random.chance(0.6) ? random.uniform(1.5, 3) : random.logUniform(3, 12);
}

function clamp(value: number, [low, high]: [number, number]): number {
  return Math.min(high, Math.max(low, value));
}

/** A speck of `type` whose size is `relative` (0 smallest .. 1 largest) within its range. */
function sizedSpeck(type: CalcificationType, relative: number, cnr: number, random: SeededRandom): SpeckSpec {
  const range = SIZE_RANGE_MM[type];
  const t = Math.min(1, Math.max(0, relative));
  const diameterMm = range.diameter[0] + t * (range.diameter[1] - range.diameter[0]);
  const elongated = type === 'fineLinear' || type === 'fineLinearBranching' || type === 'vascular';
  const lengthMm = elongated ? random.uniform(range.length[0], range.length[1]) : diameterMm;
  return { type, diameterMm, lengthMm, cnr: clamp(cnr, [1.5, 12]) };
}

/** Equivalent size √(width × length): one number for round and elongated forms alike. */
export function equivalentSizeMm(speck: { diameterMm: number; lengthMm: number }): number {
  return Math.sqrt(speck.diameterMm * speck.lengthMm);
}

/** Coefficient of variation of the specks' equivalent sizes. */
export function sizeVariation(specks: { diameterMm: number; lengthMm: number }[]): number {
  const sizes = specks.map(equivalentSizeMm);
  const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  const variance = sizes.reduce((a, b) => a + (b - mean) ** 2, 0) / sizes.length;
  return Math.sqrt(variance) / mean;
}

/**
 * Benign cluster: few (3-10) uniform round/punctate specks, low variation in size and brightness,
 * grouped or scattered (regional/diffuse). About one in five is atypical: amorphous or coarse
 * heterogeneous, which are mostly benign but suspicious-looking (7-20% malignant, LESIONS.md).
 */
export function benignClusterRecipe(random: SeededRandom): ClusterRecipe {
  const atypical = random.chance(0.2);
  if (atypical) {
    const morphology: CalcificationType = random.chance(0.6) ? 'amorphous' : 'coarseHeterogeneous';
    const count = random.int(5, 12);
    const baseCnr = morphology === 'amorphous' ? random.uniform(1.5, 3) : drawCnr(random);
    const specks = Array.from({ length: count }, () => sizedSpeck(morphology, random.next(), baseCnr * random.uniform(0.75, 1.25), random));
    return { pathology: 'benign', morphology, distribution: random.chance(0.7) ? 'grouped' : 'regional', specks, atypical };
  }
  const distribution: CalcificationDistribution = random.chance(0.75) ? 'grouped' : random.chance(0.6) ? 'regional' : 'diffuse';
  const count = distribution === 'grouped' ? random.int(3, 10) : random.int(6, 10);
  // Uniform specks: one size and brightness for the cluster, ±10%.
  const baseDiameter = random.uniform(0.15, 0.8);
  const baseCnr = drawCnr(random);
  const specks = Array.from({ length: count }, () => {
    const diameter = clamp(baseDiameter * (1 + 0.1 * random.normal()), [0.1, 1.0]);
    const type: CalcificationType = diameter < 0.5 ? 'punctate' : 'round';
    return { type, diameterMm: diameter, lengthMm: diameter, cnr: clamp(baseCnr * (1 + 0.1 * random.normal()), [1.5, 12]) };
  });
  const morphology: CalcificationType = baseDiameter < 0.5 ? 'punctate' : 'round';
  return { pathology: 'benign', morphology, distribution, specks, atypical: false };
}

/**
 * Malignant cluster: 8-40 specks of mixed size and shape (size variation ≥ 0.4), fine linear
 * segments, linear or segmental layouts toward the nipple (LESIONS.md). About one in six looks
 * benign (few uniform amorphous or punctate specks, grouped): the overlap seen in practice.
 */
export function malignantClusterRecipe(random: SeededRandom): ClusterRecipe {
  if (random.chance(0.15)) {
    const morphology: CalcificationType = random.chance(0.6) ? 'amorphous' : 'punctate';
    const count = random.int(5, 12);
    const baseCnr = random.uniform(1.5, 4);
    const specks = Array.from({ length: count }, () => sizedSpeck(morphology, random.uniform(0, 0.5), baseCnr * random.uniform(0.8, 1.2), random));
    return { pathology: 'malignant', morphology, distribution: 'grouped', specks, atypical: true };
  }
  const morphologyRoll = random.next();
  const morphology: CalcificationType =
    morphologyRoll < 0.3 ? 'fineLinearBranching' : morphologyRoll < 0.45 ? 'fineLinear' : morphologyRoll < 0.9 ? 'finePleomorphic' : 'coarseHeterogeneous';
  const linearForm = morphology === 'fineLinear' || morphology === 'fineLinearBranching';
  const distributionRoll = random.next();
  const distribution: CalcificationDistribution = linearForm
    ? distributionRoll < 0.45 ? 'linear' : distributionRoll < 0.9 ? 'segmental' : 'grouped'
    : distributionRoll < 0.5 ? 'grouped' : distributionRoll < 0.8 ? 'segmental' : 'linear';
  const count = random.int(8, 40);
  const baseCnr = drawCnr(random);
  for (let attempt = 0; ; attempt++) {
    const specks = Array.from({ length: count }, () => {
      const roll = random.next();
      const type: CalcificationType = linearForm
        ? roll < 0.5 ? random.pick(['fineLinear', 'fineLinearBranching'] as const) : roll < 0.9 ? 'finePleomorphic' : 'punctate'
        : morphology === 'coarseHeterogeneous'
          ? roll < 0.5 ? 'coarseHeterogeneous' : 'finePleomorphic'
          : roll < 0.75 ? 'finePleomorphic' : roll < 0.9 ? 'fineLinear' : 'punctate';
      // Bimodal sizes (many small, some large) give the heterogeneity malignant clusters show.
      const relative = random.chance(0.6) ? random.uniform(0, 0.3) : random.uniform(0.55, 1);
      return sizedSpeck(type, relative, baseCnr * random.logUniform(0.6, 1.7), random);
    });
    if (sizeVariation(specks) >= 0.4 || attempt >= 30) return { pathology: 'malignant', morphology, distribution, specks, atypical: false };
  }
}

/** Large, characteristic benign forms: popcorn, rim (eggshell) or vascular; one to three of them. */
export function benignLargeFormRecipe(random: SeededRandom): ClusterRecipe {
  const morphology = random.pick(['popcorn', 'rim', 'vascular'] as const);
  const count = morphology === 'vascular' ? 1 : random.int(1, 3);
  const specks = Array.from({ length: count }, () => sizedSpeck(morphology, random.next(), random.uniform(4, 12), random));
  return { pathology: 'benign', morphology, distribution: morphology === 'vascular' ? 'linear' : 'grouped', specks, atypical: false };
}

/** A lone calcification outside any cluster (common, benign, small). */
export function isolatedSpeckSpec(random: SeededRandom): SpeckSpec {
  const type = random.pick(['punctate', 'punctate', 'round', 'amorphous'] as const);
  return sizedSpeck(type, random.uniform(0, 0.7), drawCnr(random), random);
}
