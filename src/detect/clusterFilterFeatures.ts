import type { DetectedSpeck } from './detectedSpeck';

/**
 * Measures of one candidate cluster that tell a real cluster from a chance grouping of tissue spots,
 * from what the pipeline already has: the specks' heatmap scores, sizes and contrasts, the prepared
 * image around them (local noise) and the breast mask (distance to the skin line). The cluster
 * false-positive reducer (clusterFilter.ts) weighs them. Order matters: it is the order of the weights
 * in models/mammocad-calc-cluster-filter.json.
 */
export const CLUSTER_FILTER_FEATURE_NAMES = [
  'logCount',
  'maxScoreLogit',
  'thirdScoreLogit',
  'meanScoreLogit',
  'fractionAbove0p9',
  'meanCnr',
  'maxCnr',
  'thirdCnr',
  'meanDiameterMm',
  'logSpreadMm',
  'logDensityPerCm2',
  'meanElongation',
  'logLocalNoise',
  'logScoreMassMm2',
  'skinDistanceMm',
  'logImageSpecksPerCm2',
] as const;
export type ClusterFilterFeatureName = (typeof CLUSTER_FILTER_FEATURE_NAMES)[number];
export type ClusterFilterFeatures = Record<ClusterFilterFeatureName, number>;

/** The prepared image the specks came from (working grid). */
export interface FilterImage {
  pixels: Float32Array;
  mask: Uint8Array | null;
  width: number;
  height: number;
}

/** Half-size of the window (px) whose spread is a speck's local noise (≈ 0.7 mm at 70 µm). */
const NOISE_HALF_PX = 10;
/** Pixels this close to the speck centre belong to the speck, not to its background. */
const NOISE_EXCLUDE_PX = 3;
/** Local noise never taken below this (normalised units), so flat background cannot give huge CNRs. */
const MIN_NOISE = 0.02;
/** Distance to the skin line is looked for up to this far (mm); farther counts as this. */
const MAX_SKIN_MM = 20;
/** Smallest area a cluster is credited with (a disc of 1 mm radius). */
const MIN_AREA_MM2 = Math.PI;
/** Heatmap scores are held this far from 0 and 1 before the logit (the float32 sigmoid saturates). */
const SCORE_EPS = 1e-6;

/** Log-odds of a heatmap score: separates 0.99 from 0.9999, where true specks and many tissue spots sit. */
export function scoreLogit(p: number): number {
  const q = Math.min(1 - SCORE_EPS, Math.max(SCORE_EPS, p));
  return Math.log(q / (1 - q));
}

/**
 * Specks per cm² of breast over the whole image: busy, textured tissue yields many chance groupings,
 * so the same candidate is less convincing on an image full of specks.
 */
export function imageSpeckDensityPerCm2(
  speckCount: number,
  mask: Uint8Array | null,
  pixelCount: number,
  spacingMm: number,
): number {
  let breast = pixelCount;
  if (mask !== null) {
    breast = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) breast++;
  }
  return speckCount / Math.max(1, (breast * spacingMm * spacingMm) / 100);
}

/**
 * Spread (standard deviation) of the image values in a square window around (x, y), leaving out the
 * speck itself: the tissue noise that the speck's contrast must stand out of.
 */
export function localNoise(image: FilterImage, x: number, y: number): number {
  const cx = Math.floor(x);
  const cy = Math.floor(y);
  let n = 0;
  let sum = 0;
  let sum2 = 0;
  for (let yy = Math.max(0, cy - NOISE_HALF_PX); yy <= Math.min(image.height - 1, cy + NOISE_HALF_PX); yy++) {
    for (
      let xx = Math.max(0, cx - NOISE_HALF_PX);
      xx <= Math.min(image.width - 1, cx + NOISE_HALF_PX);
      xx++
    ) {
      if ((xx - cx) ** 2 + (yy - cy) ** 2 <= NOISE_EXCLUDE_PX * NOISE_EXCLUDE_PX) continue;
      const i = yy * image.width + xx;
      if (image.mask !== null && image.mask[i] === 0) continue;
      const v = image.pixels[i];
      n++;
      sum += v;
      sum2 += v * v;
    }
  }
  if (n < 2) return MIN_NOISE;
  const m = sum / n;
  return Math.max(MIN_NOISE, Math.sqrt(Math.max(0, sum2 / n - m * m)));
}

/** Shortest distance (mm, capped at MAX_SKIN_MM) from a point to background along 16 directions. */
export function skinDistanceMm(
  mask: Uint8Array | null,
  width: number,
  height: number,
  x: number,
  y: number,
  spacingMm: number,
): number {
  if (mask === null) return MAX_SKIN_MM;
  const maxPx = MAX_SKIN_MM / spacingMm;
  let best = maxPx;
  for (let k = 0; k < 16; k++) {
    const dx = Math.cos((k * Math.PI) / 8);
    const dy = Math.sin((k * Math.PI) / 8);
    for (let r = 1; r < best; r++) {
      const px = Math.floor(x + dx * r);
      const py = Math.floor(y + dy * r);
      // Beyond the image border counts as breast (images are often cropped through the breast).
      if (px < 0 || py < 0 || px >= width || py >= height) break;
      if (mask[py * width + px] === 0) {
        best = r;
        break;
      }
    }
  }
  return best * spacingMm;
}

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const nth = (sortedDesc: number[], k: number) => sortedDesc[Math.min(k, sortedDesc.length - 1)];

/**
 * The features of one candidate cluster (its specks, working grid) on the image they came from;
 * imageSpecksPerCm2 from imageSpeckDensityPerCm2 over all the image's specks.
 */
export function clusterFilterFeatures(
  group: DetectedSpeck[],
  image: FilterImage,
  spacingMm: number,
  imageSpecksPerCm2: number,
): ClusterFilterFeatures {
  const n = group.length;
  const scores = group.map((s) => s.score).sort((a, b) => b - a);
  const cnrs = group.map((s) => s.contrast / localNoise(image, s.x, s.y));
  const noises = group.map((s) => localNoise(image, s.x, s.y));
  const cnrSorted = [...cnrs].sort((a, b) => b - a);
  const cx = mean(group.map((s) => s.x));
  const cy = mean(group.map((s) => s.y));
  const spreadMm = Math.sqrt(mean(group.map((s) => (s.x - cx) ** 2 + (s.y - cy) ** 2))) * spacingMm;
  const areaMm2 = Math.max(MIN_AREA_MM2, Math.PI * spreadMm * spreadMm);
  const pixelMm2 = spacingMm * spacingMm;
  return {
    logCount: Math.log(n),
    maxScoreLogit: scoreLogit(scores[0]),
    thirdScoreLogit: scoreLogit(nth(scores, 2)),
    meanScoreLogit: mean(scores.map(scoreLogit)),
    fractionAbove0p9: scores.filter((s) => s >= 0.9).length / n,
    meanCnr: mean(cnrs),
    maxCnr: cnrSorted[0],
    thirdCnr: nth(cnrSorted, 2),
    meanDiameterMm: mean(group.map((s) => s.diameterMm)),
    logSpreadMm: Math.log(spreadMm + 0.1),
    logDensityPerCm2: Math.log((100 * n) / areaMm2),
    meanElongation: mean(group.map((s) => s.elongation)),
    logLocalNoise: Math.log(mean(noises)),
    logScoreMassMm2: Math.log(group.reduce((s, p) => s + p.areaPx * p.score, 0) * pixelMm2),
    skinDistanceMm: skinDistanceMm(image.mask, image.width, image.height, cx, cy, spacingMm),
    logImageSpecksPerCm2: Math.log(imageSpecksPerCm2 + 0.01),
  };
}
