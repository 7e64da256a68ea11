import { writeFileSync } from 'node:fs';
import type { GroundTruthCluster, GroundTruthSpeck } from '../../findings/groundTruth';
import { recipeFor, type ClusterKind } from '../lesions/lesionSet';
import { clusterTruth, placeCluster } from '../lesions/placeCluster';
import { SeededRandom } from '../random';

/**
 * One line of the classifier's cluster dataset. Coordinates are in mm in a breast frame (the numbers
 * of GroundTruth with a 1 mm "pixel"), so features need no pixel spacing.
 */
export interface ClusterRecord {
  index: number;
  pathology: 'benign' | 'malignant';
  /** True for the overlap cases: a malignant cluster that looks benign or the reverse. */
  atypical: boolean;
  nippleMm: { x: number; y: number };
  cluster: GroundTruthCluster;
  specks: (GroundTruthSpeck & { xMm: number; yMm: number })[];
}

/** Share of cluster kinds: as many malignant as benign, a tenth of them large benign forms. */
function drawKind(random: SeededRandom): ClusterKind {
  const roll = random.next();
  return roll < 0.5 ? 'malignant' : roll < 0.9 ? 'benign' : 'benignLarge';
}

/** K synthetic clusters from the same recipes and layouts the images use. */
export function makeClusterRecords(count: number, seed: number): ClusterRecord[] {
  const random = new SeededRandom(seed);
  const records: ClusterRecord[] = [];
  for (let index = 0; index < count; index++) {
    const local = random.fork(index);
    const recipe = recipeFor(drawKind(local), local.fork(1));
    const centre = { x: 100, y: 100 };
    const direction = local.uniform(0, 2 * Math.PI);
    const distance = local.uniform(20, 80);
    const nipple = { x: centre.x + distance * Math.cos(direction), y: centre.y + distance * Math.sin(direction) };
    const plans = placeCluster(recipe, 1, centre, nipple, 1, local.fork(2), () => true);
    const cluster = clusterTruth(recipe, 1, plans, 1);
    const round3 = (v: number): number => Math.round(v * 1000) / 1000;
    records.push({
      index,
      pathology: recipe.pathology,
      atypical: recipe.atypical,
      nippleMm: { x: round3(nipple.x), y: round3(nipple.y) },
      cluster,
      specks: plans.map((p) => ({
        x: round3(p.x),
        y: round3(p.y),
        xMm: round3(p.x),
        yMm: round3(p.y),
        diameterMm: round3(p.diameterMm),
        lengthMm: round3(p.lengthMm),
        type: p.type,
        cnr: round3(p.cnr),
        clusterId: 1,
      })),
    });
  }
  return records;
}

export function writeClusterDataset(path: string, count: number, seed: number): void {
  writeFileSync(path, makeClusterRecords(count, seed).map((r) => JSON.stringify(r)).join('\n') + '\n');
}
