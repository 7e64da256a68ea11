import { BUSY_TEXTURE } from '../tissue/proceduralBreast';
import { ffdmSampleImages, miasNormalImages, type ReferenceTissueImage } from '../tissue/referenceImages';
import type { SceneSource } from './patchDataset';
import { proceduralScene } from './proceduralScene';
import { realTissueScene } from './realTissueScene';

function fromReferenceImages(images: ReferenceTissueImage[]): SceneSource {
  return (seed) => realTissueScene(images[seed % images.length], seed);
}

/**
 * The tissue sources a patch dataset can draw from, by name. Real tissue needs shared/data; when it
 * is absent that source is left out with a message rather than failing the whole run.
 */
export function sceneSourcesByName(names: string[], holdout: boolean): { name: string; make: SceneSource }[] {
  const sources: { name: string; make: SceneSource }[] = [];
  for (const name of names) {
    if (name === 'procedural') {
      sources.push({ name, make: (seed) => proceduralScene(seed) });
    } else if (name === 'busy') {
      sources.push({ name, make: (seed) => proceduralScene(seed, { texture: BUSY_TEXTURE }) });
    } else if (name === 'mias' || name === 'ffdm') {
      const images = name === 'mias' ? miasNormalImages(holdout) : ffdmSampleImages(holdout);
      if (images.length === 0) {
        console.warn(`tissue source "${name}" skipped: reference images not found (shared/data absent)`);
        continue;
      }
      sources.push({ name, make: fromReferenceImages(images) });
    } else {
      throw new Error(`unknown tissue source "${name}" (procedural, busy, mias, ffdm)`);
    }
  }
  if (sources.length === 0) throw new Error('no tissue source available');
  return sources;
}
