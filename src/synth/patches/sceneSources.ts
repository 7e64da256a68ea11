import type { SceneSource } from './patchDataset';
import { proceduralScene } from './proceduralScene';

/** The tissue sources a patch dataset can draw from, by name. */
export function sceneSourcesByName(names: string[], _holdout: boolean): { name: string; make: SceneSource }[] {
  return names.map((name) => {
    switch (name) {
      case 'procedural':
        return { name, make: proceduralScene };
      default:
        throw new Error(`unknown tissue source "${name}" (procedural, mias, ffdm)`);
    }
  });
}
