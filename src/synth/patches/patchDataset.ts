import { SeededRandom } from '../random';
import type { PatchKind, PatchMeta } from './patchLabel';
import type { PatchScene } from './patchScene';
import { PatchWriter } from './patchWriter';
import { patchesFromScene, type KindQuota } from './scenePatches';

/** Makes a scene for a seed; each tissue source (procedural, mias, ffdm) provides one. */
export type SceneSource = (seed: number) => PatchScene | undefined;

export interface PatchDatasetOptions {
  outDir: string;
  count: number;
  size: number;
  seed: number;
  sources: { name: string; make: SceneSource }[];
  generator: string;
  holdout: boolean;
  onProgress?: (written: number) => void;
}

/**
 * Scenes from the sources in turn (round robin), each with its index: the last term of its seed and
 * the fork label of the randomness its patches use. Holdout sets and cluster-centred sets pass their
 * own seedBase, so no two kinds of set share a scene. Throws when the sources keep failing.
 */
export function* scenesInTurn(sources: PatchDatasetOptions['sources'], seed: number, seedBase: number): Generator<{ scene: PatchScene; index: number }> {
  let failures = 0;
  for (let index = 0; ; index++) {
    const scene = sources[index % sources.length].make((seedBase + seed * 100_003 + index) >>> 0);
    if (scene) yield { scene, index };
    else if (++failures > 50 + index) throw new Error('scene sources keep failing; no patches can be made');
  }
}

/** Target mix: half positives, 30% plain tissue, 20% hard negatives. */
export const KIND_SHARE: Record<PatchKind, number> = { positive: 0.5, negative: 0.3, hardNegative: 0.2 };

/** Per scene at most this many of each kind, so that every dataset spans many breasts. */
const PER_SCENE: KindQuota = { positive: 24, negative: 14, hardNegative: 10 };

/**
 * Writes a patch dataset: scenes from the sources in turn (round robin), each cut into patches
 * until every kind's quota is met. Holdout datasets draw their scenes from a separate seed range.
 */
export function writePatchDataset(options: PatchDatasetOptions): PatchMeta {
  const writer = new PatchWriter(options.outDir, options.size);
  const remaining: KindQuota = {
    positive: Math.round(options.count * KIND_SHARE.positive),
    negative: Math.round(options.count * KIND_SHARE.negative),
    hardNegative: 0,
  };
  remaining.hardNegative = options.count - remaining.positive - remaining.negative;
  const random = new SeededRandom(options.seed);
  for (const { scene, index: sceneIndex } of scenesInTurn(options.sources, options.seed, options.holdout ? 1_000_000_007 : 0)) {
    const wanted: KindQuota = {
      positive: Math.min(PER_SCENE.positive, remaining.positive),
      negative: Math.min(PER_SCENE.negative, remaining.negative),
      hardNegative: Math.min(PER_SCENE.hardNegative, remaining.hardNegative),
    };
    for (const item of patchesFromScene(scene, wanted, options.size, random.fork(sceneIndex))) {
      writer.add(item);
      remaining[item.label.kind]--;
    }
    // A source that cannot give a kind (e.g. no landmarks) hands its share to the others.
    if (sceneIndex > 20 * (1 + options.count / 48)) {
      const left = options.count - writer.written;
      remaining.negative = Math.max(remaining.negative, left - remaining.positive - remaining.hardNegative);
    }
    options.onProgress?.(writer.written);
    if (writer.written >= options.count) break;
  }
  return writer.close({ seed: options.seed, tissueSources: options.sources.map((s) => s.name), generator: options.generator, holdout: options.holdout });
}
