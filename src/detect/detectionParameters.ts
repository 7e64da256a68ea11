import type { Config } from '../config/schema';
import type { SpeckExtractionOptions } from './extractSpecks';
import { CENTRE_LOGITS_OUTPUT } from './centreMap';

/** Post-processing settings between the heatmap and the reported clusters. */
export interface DetectionParameters {
  /** Heatmap probability for a calcification pixel, with 4 mm links (record in
   * models/mammocad-calc-cluster-filter.json). On the validation studies (seeds 501-512) 0.7 and 0.8
   * tie within one cluster of 68 after the false-positive reducer; 0.8 passes half as many
   * candidates and so depends less on how closely real tissue resembles the synthetic (on the real
   * mini-MIAS images 0.7 gave 1.35 false clusters per image against 0.73 and found fewer clusters).
   * Tied to the detector and the reducer: 0.1.0 used 0.7 with 5 mm, 0.2.0 0.65 with 4 mm. */
  speckThreshold: number;
  /** Heatmap probability down to which joiners are extracted (joinerSpecks.ts): specks that count
   * only beside two specks above speckThreshold. At or above speckThreshold: none, the default. At
   * 0.7, with the reducer refitted, film-tissue validation gained 0.05 at 1 false cluster per image,
   * but the real mini-MIAS images found no more clusters at 0.84 false clusters per image instead
   * of 0.56 (models/HISTORY.md, "Tried after 0.3.6"). The reducer's file records the value it was
   * trained with. */
  speckJoinThreshold: number;
  /** Evaluation's per-speck marks go down to this heatmap probability where the image's speck
   * certainty reads the speck stage: the specks of components that reach it but not
   * speckThreshold, as marks outside every cluster. They raise the marks' ceiling (the target specks
   * some mark hits) from 0.746 to 0.86, and only the stage can rank them above tissue
   * (models/HISTORY.md, "the second-stage speck CNN as an input of the speck certainty"). Clusters
   * are built from the specks at speckThreshold alone: faint specks joined to clusters added false
   * clusters on real film (speckJoinThreshold). */
  faintMarkThreshold: number;
  /** Larger components are tissue, not calcifications. Not 1.5 mm (the 0.3.0 value, just above the
   * 1 mm microcalcification limit of LESIONS.md): overlapping specks of a dense coarse or pleomorphic
   * cluster merge into one component of 2-3 mm, and dropping it lost the brightest clusters of the
   * validation studies. 6 mm (the largest popcorn form) kept them; the reducer judges the rest. */
  maxSpeckDiameterMm: number;
  /** Peaks of the split signal in one heatmap component more than this far apart become separate
   * specks (splitAtPeaks.ts); 0 keeps one speck per component. Since 0.3.3 0.07 mm (every local
   * maximum), with the detector's speck-centre output as the signal: touching specks of a dense
   * cluster merge into one component, whose single centre and inflated size made merged malignant
   * clusters look benign. Splitting at the heatmap's own peaks (0.3.1) also split film grain: on
   * mini-MIAS 2-3 false clusters per image instead of 0.9 (models/HISTORY.md, "Tried for 0.3.1"). */
  speckSplitRadiusMm: number;
  /** With splitting on: a peak splits off only where the split signal dips by this much log-odds
   * towards the nearest stronger peak. */
  speckSplitMinDipLogit: number;
  /** Which peaks split: the heatmap's, or those of the detector's speck-centre output (a model with a
   * centre head, scripts/train/train_centre_head.py; the committed one has it). */
  speckSplitSignal: 'heatmap' | 'centres';
  /** With splitting on: peaks of the split signal below this value split nothing, on images whose
   * original pixels are at most coarseSpacingMm. 0.3 since 0.3.5 (0.4 before), except 0.3.12's 0.2:
   * on the synthetic studies 0.2 split touching strong specks better (hold-out specks of CNR ≥ 7
   * found at the speck threshold 0.94 → 0.99, one hold-out cluster more), but on the one real FFDM
   * exam here it split tissue texture as it splits film grain: 9 reported clusters on its 4 images
   * instead of 2, with the same reducer and floor (models/HISTORY.md, "0.3.13"). */
  speckSplitMinPeak: number;
  /** speckSplitMinPeak for coarse images (hasCoarsePixels: digitised film at 200 µm, upsampled to
   * the working grid): there the centre head's weaker peaks are film grain more often than
   * touching specks. At 0.2 mini-MIAS lost two clusters at 0.25 false per image (models/HISTORY.md,
   * "0.3.12"). The same as speckSplitMinPeak since 0.3.13; kept apart because the two kinds of
   * image need not agree. */
  speckSplitMinPeakCoarse: number;
  /** Original pixel spacing (mm) above which an image is coarse (hasCoarsePixels): between digital
   * detectors (50-100 µm, LESIONS.md) and 200 µm film. Coarse images get speckSplitMinPeakCoarse,
   * the coarse reducer and clusterFloorCoarse. */
  coarseSpacingMm: number;
  /** With splitting on: only components at least this large (equivalent diameter, mm) are split;
   * 0 splits any. */
  speckSplitMinDiameterMm: number;
  /** Single-linkage distance: specks closer than this belong to one cluster (BI-RADS: within about 1 cm).
   * 4 mm rather than 5: at a speck threshold below 0.7 longer links chain true specks to tissue spots
   * and move the cluster centre off the lesion (validation studies). */
  linkDistanceMm: number;
  /** Fewest specks that make a candidate cluster on images that are not coarse. BI-RADS asks for 3
   * (older texts) or 5 (5th edition), but a cluster whose other specks are too faint for the
   * detector still shows as a pair, and the digital reducer is fitted on candidates of this size:
   * 2 since 0.3.14 (3 before; models/HISTORY.md, "0.3.14"). A pair is named a grouped distribution. */
  minSpecks: number;
  /** minSpecks for coarse images. Apart from minSpecks so that pairs can be tried on digital images
   * alone: on film a pair of grain blobs looks like a pair of specks (with 2, four times the false
   * clusters on the real film images no training used; models/HISTORY.md, "pairs of specks"). */
  minSpecksCoarse: number;
  /** Fewest separate heatmap components among a cluster's specks, on images that are not coarse.
   * Matters only with splitting on: the specks split from one blob are one spot when the blob is film
   * grain with ripples, but touching specks of a dense cluster when the detector merged them. 1 since
   * 0.3.15 (2 before, for every image), though a pair still needs two (candidateClusters.ts): with the
   * reducer refitted, validation 0.51 → 0.54 at 0.08 false clusters per image, and the same clusters
   * on the real FFDM exam and on MG1 at 0.05 mm (models/HISTORY.md, "0.3.15"). */
  minComponents: number;
  /** minComponents for coarse images, where a grain blob split at its ripples became a "cluster" by
   * itself (models/HISTORY.md, "Tried for 0.3.1"). */
  minComponentsCoarse: number;
  /** Candidate clusters whose false-positive reducer probability (clusterFilter.ts) is below this are
   * not reported. Since 0.3.6 at the knee of the validation curve (the filter file's training record,
   * scripts/eval/froc.ts kneeFloor): the validation studies' best sensitivity within 1 false cluster
   * per image, with the fewest false clusters. Since 0.3.14 raised, where needed, to the real-tissue
   * budget (budgetFloor): at most 0.25 false clusters per image on the real tissue of the film-tissue
   * validation set, because the synthetic validation tissue does not show how the reducer scores real
   * texture (0.3.15: knee 0.161, budget 0.407; 0.3.14: knee 0.159, budget 0.406; 0.3.9-0.3.11 and
   * 0.3.13: knee 0.32, where the budget would have been 0.308; models/HISTORY.md, "0.3.14"). Since
   * 0.3.21 the digital reducer's score blends in the speck stage (clusterStageBlend.ts), and the floor
   * is the blend's: the one at which it passes as many false clusters per image on synthetic studies
   * as the reducer alone did at 0.407 (models/HISTORY.md, "0.3.21"). Applies to images that are not coarse. */
  clusterFloor: number;
  /** clusterFloor for coarse images, which the coarse reducer (CLUSTER_FILTER_COARSE_MODEL_FILE,
   * fitted on film tissue only) scores. At the knee of its film-tissue validation curve within 0.25
   * false clusters per image, not 1 as for clusterFloor: that curve is flat beyond 0.25 (0.41 there,
   * 0.42 at 0.64), so the rate of 1 would have bought 1 % more clusters with almost three times the
   * false ones (models/HISTORY.md, "0.3.13"). */
  clusterFloorCoarse: number;
  /** Outline and ellipse margin around the outermost specks. */
  outlineMarginMm: number;
  /** Specks this close to the breast edge (skin line) are ignored. */
  edgeMarginMm: number;
}

/** Whether the image came with pixels coarser than params.coarseSpacingMm (digitised film), whose
 * grain and blur call for their own split threshold, reducer and floor. */
export function hasCoarsePixels(params: Pick<DetectionParameters, 'coarseSpacingMm'>, image: { originalSpacingMm: readonly [number, number] }): boolean {
  return Math.max(...image.originalSpacingMm) > params.coarseSpacingMm;
}

/** What a candidate cluster needs on an image: its fewest specks and heatmap components. */
export type CandidateRule = Pick<DetectionParameters, 'minSpecks' | 'minComponents'>;

/** The candidate rule for this image: minSpecks and minComponents, or their coarse values on coarse images. */
export function candidateRuleFor(
  params: Pick<DetectionParameters, 'coarseSpacingMm' | 'minSpecks' | 'minSpecksCoarse' | 'minComponents' | 'minComponentsCoarse'>,
  image: { originalSpacingMm: readonly [number, number] },
): CandidateRule {
  return hasCoarsePixels(params, image)
    ? { minSpecks: params.minSpecksCoarse, minComponents: params.minComponentsCoarse }
    : { minSpecks: params.minSpecks, minComponents: params.minComponents };
}

/** The speck-extraction part of the settings for an image, at the given threshold (default: the configured one). */
export function speckExtractionOptions(
  params: DetectionParameters,
  image: { workingSpacingMm: number; originalSpacingMm: readonly [number, number] },
  threshold = params.speckThreshold,
): SpeckExtractionOptions {
  const coarse = hasCoarsePixels(params, image);
  return {
    threshold,
    joinThreshold: params.speckJoinThreshold,
    spacingMm: image.workingSpacingMm,
    maxDiameterMm: params.maxSpeckDiameterMm,
    splitRadiusMm: params.speckSplitRadiusMm,
    splitMinDipLogit: params.speckSplitMinDipLogit,
    splitSignal: params.speckSplitSignal,
    splitMinPeak: coarse ? params.speckSplitMinPeakCoarse : params.speckSplitMinPeak,
    splitMinDiameterMm: params.speckSplitMinDiameterMm,
  };
}

export const DEFAULT_DETECTION_PARAMETERS: DetectionParameters = {
  speckThreshold: 0.8,
  speckJoinThreshold: 0.8,
  faintMarkThreshold: 0.5,
  maxSpeckDiameterMm: 6,
  speckSplitRadiusMm: 0.07,
  speckSplitMinDipLogit: 0,
  speckSplitSignal: 'centres',
  speckSplitMinPeak: 0.3,
  speckSplitMinPeakCoarse: 0.3,
  coarseSpacingMm: 0.15,
  speckSplitMinDiameterMm: 0,
  linkDistanceMm: 4,
  minSpecks: 2,
  minSpecksCoarse: 3,
  minComponents: 1,
  minComponentsCoarse: 2,
  clusterFloor: 0.33,
  clusterFloorCoarse: 0.456,
  outlineMarginMm: 1,
  edgeMarginMm: 1.5,
};

/** The post-processing settings with the configured parts (inference.clusterMinSpecks, clusterMinSpecksCoarse, clusterFloor, clusterFloorCoarse) applied. */
export function detectionParametersFor(config: Pick<Config, 'inference'>): DetectionParameters {
  const { clusterMinSpecks, clusterMinSpecksCoarse, clusterFloor, clusterFloorCoarse } = config.inference;
  return {
    ...DEFAULT_DETECTION_PARAMETERS,
    minSpecks: clusterMinSpecks ?? DEFAULT_DETECTION_PARAMETERS.minSpecks,
    minSpecksCoarse: clusterMinSpecksCoarse ?? DEFAULT_DETECTION_PARAMETERS.minSpecksCoarse,
    clusterFloor: clusterFloor ?? DEFAULT_DETECTION_PARAMETERS.clusterFloor,
    clusterFloorCoarse: clusterFloorCoarse ?? DEFAULT_DETECTION_PARAMETERS.clusterFloorCoarse,
  };
}

/** Why a detector with these outputs cannot serve these settings, or null when it can: splitting at
 * speck centres needs the centre head's output. Checked at start-up, so a model folder from before
 * the head (or from 0.3.3, whose output had another form) is a start-up error rather than a failure
 * on every image. */
export function missingDetectorOutput(params: DetectionParameters, outputNames: readonly string[], modelPath: string): string | null {
  if (params.speckSplitRadiusMm <= 0 || params.speckSplitSignal !== 'centres' || outputNames.includes(CENTRE_LOGITS_OUTPUT)) return null;
  return (
    `${modelPath} has no "${CENTRE_LOGITS_OUTPUT}" output (outputs: ${outputNames.join(', ')}), but the post-processing splits specks at ` +
    'speck centres: use the model folder of this release, re-export a checkpoint that has the head with ' +
    'npm run export:detector (a 0.3.3 detector names it "centres"), or add a head with npm run train:centre-head'
  );
}
