import type { AlgorithmIdentity } from '../findings/types';

/**
 * The one place that names the algorithm: reports (SR "Algorithm Name/Version") and the model card
 * use it. Bump the version whenever a committed model file or the post-processing changes.
 */
export const ALGORITHM_IDENTITY: AlgorithmIdentity = Object.freeze({ name: 'mammocad-calc', version: '0.3.21' });

/** Model files in inference.modelDir that this version expects. */
export const DETECTOR_MODEL_FILE = 'mammocad-calc-detector.onnx';
export const CLASSIFIER_MODEL_FILE = 'mammocad-calc-classifier.json';
export const CLUSTER_FILTER_MODEL_FILE = 'mammocad-calc-cluster-filter.json';
/** The reducer for coarse images (detectionParameters.ts, hasCoarsePixels): digitised film. */
export const CLUSTER_FILTER_COARSE_MODEL_FILE = 'mammocad-calc-cluster-filter-coarse.json';
/** The certainty of each speck mark (speckCertainty.ts), on digital images and on coarse ones. */
export const SPECK_CERTAINTY_MODEL_FILE = 'mammocad-calc-speck-certainty.json';
export const SPECK_CERTAINTY_COARSE_MODEL_FILE = 'mammocad-calc-speck-certainty-coarse.json';
// The speck stage (speckStage.ts) has no fixed name: a speck certainty's file names it ("stage").
