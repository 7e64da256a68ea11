/**
 * Candidate clusters of labelled synthetic studies at several post-processing settings, labelled
 * with the evaluation's hit rule (centre inside the true cluster's region): the training and
 * selection data of the cluster false-positive reducer and, for true candidates with their truth's
 * pathology, of the malignancy classifier (train:classifier --detected). Every setting goes through
 * the production post-processing (extractSpecks → skin-line filter → candidateClusters) on the
 * cached heatmaps. Results are cached as JSON.
 */
import fs from 'node:fs';
import path from 'node:path';
import { clusterFeatures, featureVector } from '../../src/classify/clusterFeatures';
import { classifierInputFromDetected } from '../../src/classify/clusterSpeck';
import { estimateNipple } from '../../src/classify/nippleLocation';
import type { Config } from '../../src/config/schema';
import { denseMap } from '../../src/detect/centreMap';
import { candidateClusters } from '../../src/detect/candidateClusters';
import { clusterDetectionScore } from '../../src/detect/buildClusterFindings';
import { clusterFilterVector } from '../../src/detect/clusterFilter';
import { candidateRuleFor, speckExtractionOptions, type DetectionParameters } from '../../src/detect/detectionParameters';
import { extractSpecks } from '../../src/detect/extractSpecks';
import { awayFromBreastEdge } from '../../src/detect/skinLineFilter';
import { clusterMarkHits } from '../eval/evaluationCases';
import { forEachLabelledHeatmap } from './labelledHeatmaps';

/** One post-processing setting whose candidates are collected: speck threshold and link distance. */
export interface CandidateSetting {
  threshold: number;
  linkDistanceMm: number;
}

export const settingKey = (s: CandidateSetting) => `${s.threshold}@${s.linkDistanceMm}mm`;

/** "0.6@4" or "0.6@4mm" → the setting. */
export function parseSetting(text: string): CandidateSetting {
  const [threshold, link] = text.replace('mm', '').split('@').map(Number);
  return { threshold, linkDistanceMm: link };
}

export interface CandidateRow {
  image: string;
  /** settingKey of the post-processing setting that produced it. */
  setting: string;
  /** clusterFilterVector order. */
  x: number[];
  /** True clusters whose region holds the candidate's centre (empty: a false cluster). */
  hits: string[];
  /** The version 0.1.0 score formula (mean of the top three speck scores plus a count bonus) on these specks. */
  heuristicScore: number;
  /** The malignancy classifier's features of these specks (FEATURE_NAMES order), as production computes them. */
  malignancyX: number[];
  /** Worst pathology of the hit true clusters; null for a false cluster. */
  pathology: 'benign' | 'malignant' | null;
}

/** Bumped whenever a row gains a field or the candidate rule changes (4: a pair needs two heatmap
 * components; 5: no false candidates at a truth's unlabelled findings), so older cache files are
 * rebuilt rather than misread. */
export const CANDIDATE_SET_VERSION = 5;

export interface CandidateSet {
  version: number;
  dataset: string;
  settings: string[];
  /** The speck extraction (and the component rule) the candidates were made with: a cache made with others is rebuilt. */
  speckExtraction: Pick<
    DetectionParameters,
    | 'maxSpeckDiameterMm'
    | 'speckJoinThreshold'
    | 'speckSplitRadiusMm'
    | 'speckSplitMinDipLogit'
    | 'speckSplitSignal'
    | 'speckSplitMinPeak'
    | 'speckSplitMinPeakCoarse'
    | 'coarseSpacingMm'
    | 'speckSplitMinDiameterMm'
    | 'minSpecks'
    | 'minSpecksCoarse'
    | 'minComponents'
    | 'minComponentsCoarse'
  >;
  images: string[];
  trueClusters: string[];
  rows: CandidateRow[];
}

/** The settings that decide which specks and candidates an image gives, beyond threshold and links. */
export function speckExtractionRecord(params: DetectionParameters): CandidateSet['speckExtraction'] {
  return {
    maxSpeckDiameterMm: params.maxSpeckDiameterMm,
    speckJoinThreshold: params.speckJoinThreshold,
    speckSplitRadiusMm: params.speckSplitRadiusMm,
    speckSplitMinDipLogit: params.speckSplitMinDipLogit,
    speckSplitSignal: params.speckSplitSignal,
    speckSplitMinPeak: params.speckSplitMinPeak,
    speckSplitMinPeakCoarse: params.speckSplitMinPeakCoarse,
    coarseSpacingMm: params.coarseSpacingMm,
    speckSplitMinDiameterMm: params.speckSplitMinDiameterMm,
    minSpecks: params.minSpecks,
    minSpecksCoarse: params.minSpecksCoarse,
    minComponents: params.minComponents,
    minComponentsCoarse: params.minComponentsCoarse,
  };
}

export async function collectCandidates(
  dataset: string,
  settings: CandidateSetting[],
  config: Pick<Config, 'imaging' | 'inference'>,
  params: DetectionParameters,
  cacheFile?: string,
  heatmapDir?: string,
): Promise<CandidateSet> {
  const speckExtraction = speckExtractionRecord(params);
  if (cacheFile && fs.existsSync(cacheFile)) {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as CandidateSet;
    if (
      cached.version === CANDIDATE_SET_VERSION &&
      cached.dataset === path.resolve(dataset) &&
      JSON.stringify(cached.speckExtraction) === JSON.stringify(speckExtraction) &&
      settings.every((t) => cached.settings.includes(settingKey(t)))
    )
      return cached;
  }
  const set: CandidateSet = {
    version: CANDIDATE_SET_VERSION,
    dataset: path.resolve(dataset),
    settings: settings.map(settingKey),
    speckExtraction,
    images: [],
    trueClusters: [],
    rows: [],
  };
  await forEachLabelledHeatmap(dataset, config, heatmapDir, (c, image, { heatmap, centres }) => {
    const spacingMm = image.workingSpacingMm;
    set.images.push(c.id);
    set.trueClusters.push(...c.clusters.map((t) => t.id));
    const nipple = estimateNipple(image.mask, image.width, image.height);
    const centreMap = centres && denseMap(centres);
    for (const threshold of [...new Set(settings.map((s) => s.threshold))]) {
      const options = speckExtractionOptions(params, image, threshold);
      const specks = extractSpecks(heatmap, image.pixels, image.mask, image.width, image.height, options, centreMap);
      const inside = awayFromBreastEdge(
        specks,
        image.mask,
        image.width,
        image.height,
        params.edgeMarginMm / spacingMm,
      );
      for (const setting of settings.filter((s) => s.threshold === threshold)) {
        for (const k of candidateClusters(inside, image, spacingMm, {
          ...params,
          ...candidateRuleFor(params, image),
          linkDistanceMm: setting.linkDistanceMm,
        })) {
          const centre = image.transform.toOriginal(k.centre);
          // A false candidate on a real finding the truth lists as unlabelled is no negative (eval skips it too).
          const hits = clusterMarkHits(centre, c);
          if (hits === null) continue;
          const input = classifierInputFromDetected(k.specks, nipple, spacingMm);
          set.rows.push({
            image: c.id,
            setting: settingKey(setting),
            x: clusterFilterVector(k.features),
            hits: hits.map((t) => t.id),
            heuristicScore: clusterDetectionScore(k.specks.map((s) => s.score)),
            malignancyX: featureVector(clusterFeatures(input.specks, input.nippleMm)),
            pathology: worstPathology(hits),
          });
        }
      }
    }
    process.stderr.write(
      `${c.id}: ${set.rows.filter((r) => r.image === c.id).length} candidates over ${settings.length} settings\n`,
    );
  });
  if (cacheFile) {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    fs.writeFileSync(cacheFile, JSON.stringify(set));
  }
  return set;
}

/** Malignant if any hit cluster is; null when the candidate hits none (a false cluster). */
function worstPathology(hits: { pathology: 'benign' | 'malignant' }[]): CandidateRow['pathology'] {
  if (hits.length === 0) return null;
  return hits.some((t) => t.pathology === 'malignant') ? 'malignant' : 'benign';
}
