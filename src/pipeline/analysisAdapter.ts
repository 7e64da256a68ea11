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
 * TEMPORARY ADAPTER while src/detect/analyseImage.ts and summariseStudy.ts are not yet committed:
 * resolves the documented interface on first use (so a worker starts, and the pipeline is tested
 * with injected analysers, before detection is in the tree). Replace by static imports once they are.
 */
export function detectionAnalysis(): Analysis {
  const resolve = <T>(file: string, name: string): T => {
    const mod = require(file) as Record<string, unknown>;
    if (typeof mod[name] !== 'function') throw new Error(`src/detect: ${file} does not export ${name}`);
    return mod[name] as T;
  };
  return {
    analyse: (file, config) => resolve<ImageAnalyser>('../detect/analyseImage', 'analyseImage')(file, config),
    summarise: (images) => resolve<StudySummariser>('../detect/summariseStudy', 'summariseStudy')(images),
  };
}
