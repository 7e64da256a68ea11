import type { Config } from '../config/schema';
import type { ImageFindings, StudyFindings } from '../findings/types';

/** analyseImage(path, config) from src/detect: one image in, its findings out (never throws for bad input). */
export type ImageAnalyser = (path: string, config: Config) => Promise<ImageFindings>;
/** summariseStudy(images) from src/detect: breast and exam scores over the images. */
export type StudySummariser = (images: ImageFindings[]) => StudyFindings;

export interface Analysis {
  analyse: ImageAnalyser;
  summarise: StudySummariser;
}

/**
 * TEMPORARY ADAPTER until src/detect/analyseImage.ts lands: resolves the documented interface at
 * run time, so the pipeline builds and is tested (with injected analysers) before detection exists.
 * Replace by a static import once the module is in the tree.
 */
export function loadAnalysis(): Analysis {
  const modulePath = '../detect/analyseImage';
  const mod = require(modulePath) as Partial<{ analyseImage: ImageAnalyser; summariseStudy: StudySummariser }>;
  if (typeof mod.analyseImage !== 'function' || typeof mod.summariseStudy !== 'function') {
    throw new Error('src/detect/analyseImage does not export analyseImage and summariseStudy');
  }
  return { analyse: mod.analyseImage, summarise: mod.summariseStudy };
}
