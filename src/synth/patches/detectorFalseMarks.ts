import type { DetectedSpeck } from '../../detect/detectedSpeck';
import type { SeededRandom } from '../random';
import { countTargetPixels, cutPatch } from './patchCutter';
import { TARGET, type PatchScene } from './patchScene';
import type { LabelledPatch } from './scenePatches';

/**
 * Hard negatives where the current detector actually fires: patches around its specks (working grid)
 * that hold no calcification. The landmark negatives (vessels, skin, pectoral edge) are where a
 * designer expects false marks; on film the detector's false marks are mostly grain blobs, which
 * random tissue patches rarely centre on. The strongest `perScene` false specks are used, each off
 * centre by up to a quarter patch so the network cannot learn "the middle is negative". Specks on
 * spots the scene marks "ignore" (bright specks the normal image already had, which may be real
 * calcifications) are skipped: their pixels carry no loss anyway.
 */
export function detectorFalseMarkPatches(
  scene: PatchScene,
  specks: DetectedSpeck[],
  perScene: number,
  size: number,
  random: SeededRandom,
): LabelledPatch[] {
  const { transform } = scene.prepared;
  const out: LabelledPatch[] = [];
  for (const speck of [...specks].sort((a, b) => b.score - a.score)) {
    if (out.length >= perScene) break;
    const original = transform.toOriginal(speck);
    const ox = Math.min(scene.originalColumns - 1, Math.max(0, Math.floor(original.x)));
    const oy = Math.min(scene.originalRows - 1, Math.max(0, Math.floor(original.y)));
    if (scene.labels[oy * scene.originalColumns + ox] !== TARGET.background) continue;
    const centre = { x: speck.x + random.uniform(-0.25, 0.25) * size, y: speck.y + random.uniform(-0.25, 0.25) * size };
    const patch = cutPatch(scene, centre, size);
    if (countTargetPixels(patch.target) > 0) continue;
    out.push({ patch, label: { tissue: scene.tissue, kind: 'hardNegative', speckCount: 0, hardNegativeSource: 'detector' } });
  }
  return out;
}
