import type { Config } from '../config/schema';
import type { ImageFindings, Point } from '../findings/types';
import type { ImageHeader } from '../imaging/imageHeader';
import { isAssumedSpacing } from '../imaging/pixelSpacing';
import type { PreparedImage } from '../imaging/preparedImage';
import { prepareImage } from '../imaging/prepareImage';
import { estimateNipple } from '../classify/nippleLocation';
import { ALGORITHM_IDENTITY } from './algorithmIdentity';
import { buildClusterFindings } from './buildClusterFindings';
import { awayFromBreastEdge } from './skinLineFilter';
import { DEFAULT_DETECTION_PARAMETERS, detectionParametersFor, speckExtractionOptions, type DetectionParameters } from './detectionParameters';
import { clusterReducerFor, getDetectionRuntime, speckCertaintyFor, type DetectionRuntime } from './detectionRuntime';
import type { DetectionResult } from './detectorPool';
import { readsSpeckStage, speckCertainty, type SpeckCluster } from './speckCertainty';

export type AnalysisConfig = Pick<Config, 'imaging' | 'inference' | 'worker'>;

/**
 * The one entry point the workflow calls: DICOM file → findings for that image. Never throws for bad
 * input: an image that cannot be analysed comes back with status 'failed' and the reason (one left out
 * by configuration, an implant view, with status 'notAnalysed'). Faults of
 * the node reject instead (a model or execution provider that cannot start, an inference worker that
 * crashed, a session that failed), so the job is retried and only its last attempt records a failure.
 */
export async function analyseImage(path: string, config: AnalysisConfig, params: DetectionParameters = detectionParametersFor(config)): Promise<ImageFindings> {
  const started = performance.now();
  const runtime = await getDetectionRuntime(config, params);
  const prepared = await prepareImage(path, config.imaging);
  if (!prepared.ok) return unanalysedFindings(prepared.header, prepared.notAnalysed ? 'notAnalysed' : 'failed', prepared.reason, started);
  return analysePreparedImage(prepared.image, runtime, params, started);
}

/** Detection and classification of an already prepared image (evaluation feeds PNGs in here). */
export async function analysePreparedImage(
  image: PreparedImage,
  runtime: DetectionRuntime,
  params: DetectionParameters = DEFAULT_DETECTION_PARAMETERS,
  started = performance.now(),
): Promise<ImageFindings> {
  return (await analysePreparedImageInDetail(image, runtime, params, started)).findings;
}

/** Every speck the detector found, clustered or not, in original pixel coordinates (for evaluation). */
export interface SpeckMark {
  center: Point;
  diameterMm: number;
  /** Its speck certainty (speckCertainty.ts): a member's is its reported calcification's score. */
  score: number;
  /** The heatmap peak, the reported cluster it belongs to (if any) and the speck stage's logits
   * (where the certainty reads them): the certainty's inputs. */
  peak: number;
  cluster?: SpeckCluster;
  stageLogits?: number[];
}

/** As analysePreparedImage, plus all detected specks, every candidate cluster's centre (reported or
 * not) and the detector's timings. The marks go down to faintMarkThreshold with `faintMarks`
 * 'always', or 'withStage' where the image's certainty reads the speck stage (evaluation: without
 * the stage faint marks rank with tissue); `returnHeatmap` keeps the detector's maps in `detection`
 * (training dumps). */
export async function analysePreparedImageInDetail(
  image: PreparedImage,
  runtime: DetectionRuntime,
  params: DetectionParameters = DEFAULT_DETECTION_PARAMETERS,
  started = performance.now(),
  options: { faintMarks?: 'withStage' | 'always'; returnHeatmap?: boolean } = {},
): Promise<{ findings: ImageFindings; specks: SpeckMark[]; candidateCentres: Point[]; detection?: DetectionResult }> {
  const spacingMm = image.workingSpacingMm;
  const certainty = speckCertaintyFor(runtime.speckCertainty, params, image);
  const scoreSpecks = readsSpeckStage(certainty);
  // Inference errors are the node's, not the image's (a crashed worker takes the images queued behind it too): they reject.
  const faintMarks = options.faintMarks === 'always' || (options.faintMarks === 'withStage' && scoreSpecks);
  const detection = await runtime.pool.detect(image, speckExtractionOptions(params, image), {
    scoreSpecks,
    returnHeatmap: options.returnHeatmap ?? false,
    ...(faintMarks ? { faintMarkThreshold: params.faintMarkThreshold } : {}),
  });
  const nipple = estimateNipple(image.mask, image.width, image.height);
  const inside = awayFromBreastEdge(detection.specks, image.mask, image.width, image.height, params.edgeMarginMm / spacingMm);
  const reducer = clusterReducerFor(runtime.clusterFilters, params, image);
  const { clusters, clusterOf, candidateCentres } = await buildClusterFindings(inside, image, spacingMm, nipple, runtime.classifier, reducer, certainty, params, (model, patches, size) =>
    runtime.pool.scoreRegions(model, patches, size),
  );
  const findings: ImageFindings = {
    ...identity(image.header),
    ...assumedSpacing(image),
    status: 'analysed',
    clusters,
    imageScore: clusters.reduce((m, c) => Math.max(m, c.malignancy), 0),
    algorithm: { ...ALGORITHM_IDENTITY },
    analysisMs: performance.now() - started,
  };
  // Joiners are not detections of their own: per-speck evaluation reads the specks above the threshold, and the faint marks.
  const faint = awayFromBreastEdge(detection.faintSpecks ?? [], image.mask, image.width, image.height, params.edgeMarginMm / spacingMm);
  const specks = [...inside.filter((s) => !s.joiner), ...faint].map((s): SpeckMark => {
    const cluster = clusterOf.get(s);
    const mark = { center: image.transform.toOriginal({ x: s.x, y: s.y }), diameterMm: s.diameterMm, score: speckCertainty(certainty, s, cluster), peak: s.score };
    return { ...mark, ...(cluster ? { cluster } : {}), ...(s.stageLogits ? { stageLogits: s.stageLogits } : {}) };
  });
  return { findings, specks, candidateCentres, detection };
}

/** The findings' note of an assumed spacing: the sizes in mm rest on it. */
export function assumedSpacing(image: PreparedImage): Pick<ImageFindings, 'assumedSpacingMm' | 'assumedSpacingFrom'> {
  const source = image.spacingSource;
  return isAssumedSpacing(source) ? { assumedSpacingMm: image.originalSpacingMm[1], assumedSpacingFrom: source } : {};
}

function identity(header: ImageHeader | undefined) {
  const view = header?.viewCode;
  return {
    studyUid: header?.studyUid ?? '',
    seriesUid: header?.seriesUid ?? '',
    sopInstanceUid: header?.sopInstanceUid ?? '',
    sopClassUid: header?.sopClassUid ?? '',
    rows: header?.rows ?? 0,
    columns: header?.columns ?? 0,
    ...(header?.laterality ? { laterality: header.laterality } : {}),
    ...(view ? { view } : {}),
  };
}

function unanalysedFindings(header: ImageHeader | undefined, status: 'failed' | 'notAnalysed', reason: string, started: number): ImageFindings {
  return {
    ...identity(header),
    status,
    failureReason: reason,
    clusters: [],
    imageScore: 0,
    algorithm: { ...ALGORITHM_IDENTITY },
    analysisMs: performance.now() - started,
  };
}
