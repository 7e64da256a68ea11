import type { RegionModelName, RegionModelPaths } from '../classify/clusterRegion';
import type { DetectedSpeck } from './detectedSpeck';
import type { ExecutionProviderName } from './executionProvider';
import type { SpeckExtractionOptions } from './extractSpecks';
import type { HeatmapOptions } from './heatmapInference';

/** Passed as workerData when an inference worker starts. */
export interface WorkerInit {
  modelPath: string;
  executionProvider: ExecutionProviderName;
  /** 0: onnxruntime's default. */
  threads: number;
  /** The cluster-region CNNs the model files use (ONNX paths by name): more sessions in the same worker. */
  regionModels?: RegionModelPaths;
  /** The speck stage's ONNX (speckStage.ts), where a speck certainty reads it: one more session. */
  speckStageModel?: string;
}

export interface DetectRequest {
  kind: 'detect';
  id: number;
  pixels: Float32Array;
  mask: Uint8Array | null;
  width: number;
  height: number;
  heatmapOptions: HeatmapOptions;
  speckOptions: SpeckExtractionOptions;
  returnHeatmap: boolean;
  /** Score every speck with the speck stage (the worker must have been started with one). */
  scoreSpecks: boolean;
  /** Also return the faint marks: specks extracted at this lower heatmap threshold whose component
   * reaches the speck threshold nowhere (scored too, with scoreSpecks). For evaluation: the node
   * reports specks only as members of clusters built from the specks at the threshold. */
  faintMarkThreshold?: number;
}

/** Cluster regions (count × size × size working-grid pixels) for one cluster-region CNN. */
export interface ScoreRegionsRequest {
  kind: 'scoreRegions';
  id: number;
  model: RegionModelName;
  patches: Float32Array;
  size: number;
}

export type WorkerRequest = DetectRequest | ScoreRegionsRequest;

/** What one detection request gives back. */
export interface DetectionResult {
  specks: DetectedSpeck[];
  /** With a faintMarkThreshold: the faint marks. */
  faintSpecks?: DetectedSpeck[];
  tiles: number;
  inferMs: number;
  postMs: number;
  heatmap?: Float32Array;
  /** The speck-centre map, with the heatmap, when the detector has that output. */
  centres?: Float32Array;
  /** Peak resident memory of the whole process so far (workers share it), bytes. */
  peakRssBytes: number;
}

export type WorkerReply =
  | { kind: 'ready'; inputNames: readonly string[]; outputNames: readonly string[] }
  | { kind: 'initFailed'; error: string }
  | ({ kind: 'detected'; id: number } & DetectionResult)
  | { kind: 'regionsScored'; id: number; logits: Float32Array }
  | { kind: 'failed'; id: number; error: string };
