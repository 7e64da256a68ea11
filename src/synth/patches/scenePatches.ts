import { SeededRandom } from '../random';
import { countTargetPixels, cutPatch, type CutPatch } from './patchCutter';
import type { PatchKind, PatchLabel } from './patchLabel';
import type { PatchScene } from './patchScene';

export interface LabelledPatch {
  patch: CutPatch;
  label: Omit<PatchLabel, 'index'>;
}

export type KindQuota = Record<PatchKind, number>;

/**
 * Draws up to `wanted[kind]` patches of each kind from one scene. Positives hold part of a cluster or
 * an isolated speck (centre offset at random so specks are not always central); negatives are plain
 * tissue with no calcification; hard negatives are centred near vessels, the skin line or the
 * pectoral edge and also hold no calcification.
 */
export function patchesFromScene(scene: PatchScene, wanted: KindQuota, size: number, random: SeededRandom): LabelledPatch[] {
  const out: LabelledPatch[] = [];
  const { prepared } = scene;
  const describe = (patch: CutPatch, kind: PatchKind): Omit<PatchLabel, 'index'> => {
    const specks = patch.speckIndices.map((i) => scene.specks[i]);
    const pathologies = specks.map((s) => s.pathology).filter((p): p is 'benign' | 'malignant' => p !== undefined);
    const label: Omit<PatchLabel, 'index'> = { tissue: scene.tissue, kind, speckCount: specks.length };
    if (pathologies.length > 0) label.pathology = pathologies.includes('malignant') ? 'malignant' : 'benign';
    if (specks.some((s) => s.largeForm)) label.largeForm = true;
    return label;
  };
  const margin = 6;
  for (let attempt = 0, made = 0; made < wanted.positive && attempt < wanted.positive * 4 && scene.specks.length > 0; attempt++) {
    const speck = random.pick(scene.specks);
    const w = prepared.transform.toWorking({ x: speck.x, y: speck.y });
    const centre = { x: w.x + random.uniform(-1, 1) * (size / 2 - margin), y: w.y + random.uniform(-1, 1) * (size / 2 - margin) };
    const patch = cutPatch(scene, centre, size);
    if (countTargetPixels(patch.target) === 0) continue;
    out.push({ patch, label: describe(patch, 'positive') });
    made++;
  }
  for (let attempt = 0, made = 0; made < wanted.negative && attempt < wanted.negative * 10; attempt++) {
    const centre = { x: random.uniform(0, prepared.width), y: random.uniform(0, prepared.height) };
    if (!prepared.mask[Math.floor(centre.y) * prepared.width + Math.floor(centre.x)]) continue;
    const patch = cutPatch(scene, centre, size);
    if (countTargetPixels(patch.target) > 0) continue;
    out.push({ patch, label: describe(patch, 'negative') });
    made++;
  }
  const landmarks = scene.landmarks;
  for (let attempt = 0, made = 0; made < wanted.hardNegative && attempt < wanted.hardNegative * 6 && landmarks.length > 0; attempt++) {
    const landmark = random.pick(landmarks);
    const w = prepared.transform.toWorking(landmark);
    const centre = { x: w.x + random.uniform(-0.25, 0.25) * size, y: w.y + random.uniform(-0.25, 0.25) * size };
    const patch = cutPatch(scene, centre, size);
    if (countTargetPixels(patch.target) > 0) continue;
    out.push({ patch, label: { ...describe(patch, 'hardNegative'), hardNegativeSource: landmark.source } });
    made++;
  }
  return out;
}
