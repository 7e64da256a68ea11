import type { Config } from '../config/schema';
import type { ImageFindings, StudyFindings } from '../findings/types';
import { analyseImage } from '../detect/analyseImage';
import { summariseStudy } from '../detect/summariseStudy';

/** analyseImage(path, config) from src/detect: one image in, its findings out (never throws for bad input). */
export type ImageAnalyser = (path: string, config: Config) => Promise<ImageFindings>;
/** summariseStudy(images) from src/detect: breast and exam scores over the images. */
export type StudySummariser = (images: ImageFindings[]) => StudyFindings;

/** The pipeline's analysis engines; tests and the stand-in worker substitute their own. */
export interface Analysis {
  analyse: ImageAnalyser;
  summarise: StudySummariser;
}

/** Detection and classification from src/detect (ONNX model loaded on first use, execution provider from config). */
export function detectionAnalysis(): Analysis {
  return { analyse: (file, config) => analyseImage(file, config), summarise: summariseStudy };
}
