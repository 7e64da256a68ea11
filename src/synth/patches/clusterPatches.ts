import { SeededRandom } from '../random';
import type { PatchMeta } from './patchLabel';
import { scenesInTurn, type PatchDatasetOptions } from './patchDataset';
import { cutPatch } from './patchCutter';
import type { PatchScene } from './patchScene';
import { PatchWriter } from './patchWriter';
import type { LabelledPatch } from './scenePatches';

/** Specks within this distance of the anchor speck stand for "the cluster the detector would link". */
const NEIGHBOURHOOD_MM = 5;
/** How far the patch centre may miss the group's centroid: detected centres are not exact. */
const JITTER_MM = 1;
/** Patches per cluster, each anchored on another of its specks. */
const PER_CLUSTER = 2;
/** Scene seeds apart from the detector's patch sets (0) and holdout sets (1 000 000 007). */
const CLUSTER_SEED_BASE = 500_000_003;

/**
 * Patches centred on a cluster, labelled with that cluster's pathology: what the cluster-region CNN
 * (scripts/train/train_cluster_cnn.py) learns from. The centre is where the detector would put a
 * cluster's mark: the centroid of the specks within 5 mm of one of its specks (a diffuse distribution
 * is found piece by piece), moved by up to 1 mm. A patch that also holds specks of a cluster of the
 * other pathology is skipped (its label would be a matter of which cluster the mark belongs to), and
 * so is one that holds none of its own cluster's specks.
 */
export function clusterPatchesFromScene(scene: PatchScene, size: number, random: SeededRandom): LabelledPatch[] {
  const { transform, workingSpacingMm } = scene.prepared;
  const working = scene.specks.map((s) => transform.toWorking({ x: s.x, y: s.y }));
  const radiusPx = NEIGHBOURHOOD_MM / workingSpacingMm;
  const jitter = JITTER_MM / workingSpacingMm;
  const out: LabelledPatch[] = [];
  const clusterIds = [...new Set(scene.specks.map((s) => s.clusterId).filter((id): id is number => id !== null))];
  for (const clusterId of clusterIds) {
    const members = scene.specks.flatMap((s, i) => (s.clusterId === clusterId ? [i] : []));
    const pathology = scene.specks[members[0]].pathology;
    if (!pathology) continue;
    for (let n = 0; n < PER_CLUSTER; n++) {
      const anchor = working[random.pick(members)];
      const group = members.filter((i) => Math.hypot(working[i].x - anchor.x, working[i].y - anchor.y) <= radiusPx);
      const centre = {
        x: group.reduce((s, i) => s + working[i].x, 0) / group.length + random.uniform(-jitter, jitter),
        y: group.reduce((s, i) => s + working[i].y, 0) / group.length + random.uniform(-jitter, jitter),
      };
      const patch = cutPatch(scene, centre, size);
      const inPatch = patch.speckIndices.map((i) => scene.specks[i]);
      if (inPatch.some((s) => s.pathology !== undefined && s.pathology !== pathology)) continue;
      const speckCount = inPatch.filter((s) => s.clusterId === clusterId).length;
      if (speckCount === 0) continue;
      out.push({ patch, label: { tissue: scene.tissue, kind: 'positive', speckCount, pathology, ...(inPatch.some((s) => s.largeForm) ? { largeForm: true } : {}) } });
    }
  }
  return out;
}

export type ClusterPatchDatasetOptions = Omit<PatchDatasetOptions, 'holdout'>;

/**
 * Writes `count` cluster-centred patches in the synth:patches format (labels.jsonl's `pathology` is
 * the centred cluster's), drawing scenes from the sources in turn.
 */
export function writeClusterPatchDataset(options: ClusterPatchDatasetOptions): PatchMeta {
  const writer = new PatchWriter(options.outDir, options.size);
  const random = new SeededRandom(options.seed);
  for (const { scene, index } of scenesInTurn(options.sources, options.seed, CLUSTER_SEED_BASE)) {
    for (const item of clusterPatchesFromScene(scene, options.size, random.fork(index))) {
      if (writer.written < options.count) writer.add(item);
    }
    options.onProgress?.(writer.written);
    if (writer.written >= options.count) break;
  }
  return writer.close({ seed: options.seed, tissueSources: options.sources.map((s) => s.name), generator: options.generator, holdout: false });
}
