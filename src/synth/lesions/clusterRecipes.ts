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
 * The morphology a small cluster is drawn as. Uniform stands for punctate or round, decided by the
 * cluster's speck size; fine linear includes fine linear branching.
 */
export type ClusterMorphology = 'uniform' | 'amorphous' | 'coarseHeterogeneous' | 'finePleomorphic' | 'fineLinear';

type Shares<K extends string> = Record<K, number>;

/**
 * Share malignant per morphology in biopsy series (LESIONS.md's table, taken at the middle of each
 * range; punctate and round are "mostly benign", taken as 3 %).
 */
export const MALIGNANT_SHARE: Shares<ClusterMorphology> = {
  uniform: 0.03,
  amorphous: 0.11,
  coarseHeterogeneous: 0.13,
  finePleomorphic: 0.53,
  fineLinear: 0.84,
};

/**
 * Malignant clusters among the small clusters a synthetic image asks for (lesionSet's
 * CLUSTER_KIND_SHARES: 0.45 malignant to 0.40 benign).
 */
export const MALIGNANT_PREVALENCE = 0.45 / 0.85;

/**
 * Morphologies of benign clusters: a design choice, so that benign clusters keep most of the
 * uniform and faint forms, and chosen so that Σ share·odds(m) = the prevalence's odds, which the
 * Bayes step below needs for every morphology to come out at its series share.
 */
export const BENIGN_MORPHOLOGY_MIX: Shares<ClusterMorphology> = {
  uniform: 0.3,
  amorphous: 0.15,
  coarseHeterogeneous: 0.1,
  finePleomorphic: 0.31,
  fineLinear: 0.14,
};

/**
 * Morphologies of malignant clusters, by Bayes from the benign mix: with prevalence π,
 * P(malignant | m) = MALIGNANT_SHARE[m] needs P(m | malignant) ∝ P(m | benign) · odds(m).
 * So a fine pleomorphic cluster is malignant about half the time, as in the series, and morphology
 * alone no longer decides the label (before 0.3.12 it did).
 */
export const MALIGNANT_MORPHOLOGY_MIX: Shares<ClusterMorphology> = (() => {
  const weights = Object.fromEntries(
    Object.entries(BENIGN_MORPHOLOGY_MIX).map(([m, share]) => [m, (share * MALIGNANT_SHARE[m as ClusterMorphology]) / (1 - MALIGNANT_SHARE[m as ClusterMorphology])]),
  ) as Shares<ClusterMorphology>;
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(weights).map(([m, w]) => [m, w / total])) as Shares<ClusterMorphology>;
})();

/**
 * Distribution given pathology and morphology. Malignant clusters keep the layouts they had; benign
 * ones get the segmental and linear layouts that make LESIONS.md's shares come out (segmental about
 * 74 % malignant, linear about 68 %); regional and diffuse stay benign only.
 */
const DISTRIBUTION: Record<'benign' | 'malignant', Record<ClusterMorphology, Partial<Shares<CalcificationDistribution>>>> = {
  malignant: {
    uniform: { grouped: 0.5, segmental: 0.3, linear: 0.2 },
    amorphous: { grouped: 0.5, segmental: 0.3, linear: 0.2 },
    coarseHeterogeneous: { grouped: 0.5, segmental: 0.3, linear: 0.2 },
    finePleomorphic: { grouped: 0.5, segmental: 0.3, linear: 0.2 },
    fineLinear: { linear: 0.45, segmental: 0.45, grouped: 0.1 },
  },
  benign: {
    uniform: { grouped: 0.65, regional: 0.15, diffuse: 0.1, linear: 0.1 },
    amorphous: { grouped: 0.5, regional: 0.2, segmental: 0.15, linear: 0.15 },
    coarseHeterogeneous: { grouped: 0.6, regional: 0.2, segmental: 0.1, linear: 0.1 },
    finePleomorphic: { grouped: 0.35, regional: 0.2, segmental: 0.25, linear: 0.2 },
    fineLinear: { linear: 0.5, segmental: 0.3, grouped: 0.2 },
  },
};

function drawShare<K extends string>(shares: Partial<Shares<K>>, random: SeededRandom): K {
  const entries = Object.entries(shares) as [K, number][];
  let roll = random.next() * entries.reduce((sum, [, share]) => sum + share, 0);
  for (const [key, share] of entries) {
    roll -= share;
    if (roll < 0) return key;
  }
  return entries[entries.length - 1][0];
}

/** Specks of one form whose size is drawn by `relative` and whose brightness varies by ±`spread` around `baseCnr`. */
function sameFormSpecks(
  type: CalcificationType,
  count: number,
  baseCnr: number,
  spread: number,
  relative: () => number,
  random: SeededRandom,
): SpeckSpec[] {
  return Array.from({ length: count }, () => sizedSpeck(type, relative(), baseCnr * random.uniform(1 - spread, 1 + spread), random));
}

/**
 * Uniform punctate or round specks: one size and brightness for the cluster, ±10 %. The form follows
 * the size (BI-RADS: round 0.5-1 mm, punctate under 0.5 mm).
 */
function uniformSpecks(count: number, diameterMm: [number, number], random: SeededRandom): { morphology: CalcificationType; specks: SpeckSpec[] } {
  const baseDiameter = random.uniform(...diameterMm);
  const baseCnr = drawCnr(random);
  const specks = Array.from({ length: count }, () => {
    const diameter = clamp(baseDiameter * (1 + 0.1 * random.normal()), [0.1, 1.0]);
    const type: CalcificationType = diameter < 0.5 ? 'punctate' : 'round';
    return { type, diameterMm: diameter, lengthMm: diameter, cnr: clamp(baseCnr * (1 + 0.1 * random.normal()), [1.5, 12]) };
  });
  return { morphology: baseDiameter < 0.5 ? 'punctate' : 'round', specks };
}

/**
 * Specks of mixed forms with bimodal sizes (many small, some large): the heterogeneity of fine
 * pleomorphic and linear clusters. Drawn again until the size variation reaches `minVariation`.
 */
function mixedSpecks(
  count: number,
  types: Partial<Shares<CalcificationType>>,
  brightness: [number, number],
  minVariation: number,
  random: SeededRandom,
): SpeckSpec[] {
  const baseCnr = drawCnr(random);
  for (let attempt = 0; ; attempt++) {
    const specks = Array.from({ length: count }, () => {
      const type = drawShare(types, random);
      const relative = random.chance(0.6) ? random.uniform(0, 0.3) : random.uniform(0.55, 1);
      return sizedSpeck(type, relative, baseCnr * random.logUniform(...brightness), random);
    });
    if (sizeVariation(specks) >= minVariation || attempt >= 30) return specks;
  }
}

type SpeckDraw = (pathology: 'benign' | 'malignant', scattered: boolean, random: SeededRandom) => { morphology: CalcificationType; specks: SpeckSpec[] };

/**
 * The specks of each morphology, given the pathology. LESIONS.md: benign clusters hold few (3-10)
 * specks of low variation in size and brightness, malignant ones more (8-40) and mixed (size
 * variation ≥ 0.4). Within one morphology those are what separates the two; they overlap.
 */
const SPECKS: Record<ClusterMorphology, SpeckDraw> = {
  uniform: (pathology, scattered, random) =>
    pathology === 'benign'
      ? uniformSpecks(scattered ? random.int(6, 10) : random.int(3, 10), [0.15, 0.8], random)
      : uniformSpecks(random.int(5, 12), [0.1, 0.35], random),
  amorphous: (pathology, _scattered, random) => {
    const [count, baseCnr] = pathology === 'benign' ? [random.int(5, 12), random.uniform(1.5, 3)] : [random.int(8, 25), random.uniform(1.5, 4)];
    return { morphology: 'amorphous', specks: sameFormSpecks('amorphous', count, baseCnr, 0.25, () => random.next(), random) };
  },
  coarseHeterogeneous: (pathology, _scattered, random) => ({
    morphology: 'coarseHeterogeneous',
    specks:
      pathology === 'benign'
        ? sameFormSpecks('coarseHeterogeneous', random.int(5, 12), drawCnr(random), 0.25, () => random.next(), random)
        : mixedSpecks(random.int(8, 40), { coarseHeterogeneous: 0.5, finePleomorphic: 0.5 }, [0.6, 1.7], 0.4, random),
  }),
  finePleomorphic: (pathology, _scattered, random) => ({
    morphology: 'finePleomorphic',
    specks:
      pathology === 'benign'
        ? mixedSpecks(random.int(4, 15), { finePleomorphic: 0.7, punctate: 0.3 }, [0.75, 1.35], 0, random)
        : mixedSpecks(random.int(8, 40), { finePleomorphic: 0.75, fineLinear: 0.15, punctate: 0.1 }, [0.6, 1.7], 0.4, random),
  }),
  fineLinear: (pathology, _scattered, random) =>
    pathology === 'benign'
      ? {
          morphology: random.chance(0.7) ? 'fineLinear' : 'fineLinearBranching',
          specks: mixedSpecks(random.int(4, 15), { fineLinear: 0.35, finePleomorphic: 0.35, punctate: 0.3 }, [0.75, 1.35], 0, random),
        }
      : {
          morphology: random.chance(2 / 3) ? 'fineLinearBranching' : 'fineLinear',
          specks: mixedSpecks(
            random.int(8, 40),
            { fineLinear: 0.25, fineLinearBranching: 0.25, finePleomorphic: 0.4, punctate: 0.1 },
            [0.6, 1.7],
            0.4,
            random,
          ),
        },
};

/**
 * A small cluster of the given pathology: its morphology is drawn from that pathology's mix, then
 * its layout and its specks from both. Atypical marks a morphology that points the other way
 * (a benign fine pleomorphic cluster, a malignant amorphous one): the overlap seen in practice.
 */
export function clusterRecipe(pathology: 'benign' | 'malignant', random: SeededRandom): ClusterRecipe {
  const drawn = drawShare(pathology === 'malignant' ? MALIGNANT_MORPHOLOGY_MIX : BENIGN_MORPHOLOGY_MIX, random);
  const distribution = drawShare(DISTRIBUTION[pathology][drawn], random);
  const { morphology, specks } = SPECKS[drawn](pathology, distribution === 'regional' || distribution === 'diffuse', random);
  const atypical = MALIGNANT_SHARE[drawn] >= 0.5 !== (pathology === 'malignant');
  return { pathology, morphology, distribution, specks, atypical };
}

export const benignClusterRecipe = (random: SeededRandom): ClusterRecipe => clusterRecipe('benign', random);
export const malignantClusterRecipe = (random: SeededRandom): ClusterRecipe => clusterRecipe('malignant', random);

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
