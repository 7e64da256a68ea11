import type { Point } from '../../findings/types';
import { cutRegion, regionOrigin } from '../../classify/clusterRegion';
import { TARGET, type PatchScene } from './patchScene';

export interface CutPatch {
  image: Float32Array;
  target: Uint8Array;
  /** 1 at the working pixel holding each speck's centre, 0 elsewhere: what a speck-centre head
   * learns, so that touching specks, which share one footprint in `target`, stay countable. */
  centres: Uint8Array;
  /** Specks whose centre lies inside the patch. */
  speckIndices: number[];
}

/**
 * Cuts a size×size patch of the prepared (working-grid) image around `centre` (working pixels) and
 * its target: original-grid labels sampled at each working pixel's centre, the 3×3 around every speck
 * centre set to 1 (so sub-pixel specks always have a target), and a one-pixel ignore ring around
 * every footprint, where the exact edge of a blurred speck is a matter of opinion.
 */
export function cutPatch(scene: PatchScene, centre: Point, size: number): CutPatch {
  const { prepared } = scene;
  const { width, height, transform } = prepared;
  // The same window the node cuts around a cluster for its region CNN.
  const { x0, y0 } = regionOrigin(prepared, centre, size);
  const image = cutRegion(prepared, centre, size);
  const target = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    const wy = y0 + y;
    if (wy < 0 || wy >= height) continue;
    for (let x = 0; x < size; x++) {
      const wx = x0 + x;
      if (wx < 0 || wx >= width) continue;
      const original = transform.toOriginal({ x: wx + 0.5, y: wy + 0.5 });
      const ox = Math.min(scene.originalColumns - 1, Math.max(0, Math.floor(original.x)));
      const oy = Math.min(scene.originalRows - 1, Math.max(0, Math.floor(original.y)));
      target[y * size + x] = scene.labels[oy * scene.originalColumns + ox];
    }
  }
  const centres = new Uint8Array(size * size);
  const speckIndices: number[] = [];
  scene.specks.forEach((speck, index) => {
    const w = transform.toWorking({ x: speck.x, y: speck.y });
    const px = Math.floor(w.x) - x0;
    const py = Math.floor(w.y) - y0;
    if (px < 0 || py < 0 || px >= size || py >= size) return;
    speckIndices.push(index);
    centres[py * size + px] = 1;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const x = px + dx;
        const y = py + dy;
        if (x >= 0 && y >= 0 && x < size && y < size) target[y * size + x] = TARGET.calcification;
      }
    }
  });
  addIgnoreRing(target, size);
  return { image, target, centres, speckIndices };
}

function addIgnoreRing(target: Uint8Array, size: number): void {
  const ring: number[] = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (target[y * size + x] !== TARGET.background) continue;
      let nearSpeck = false;
      for (let dy = -1; dy <= 1 && !nearSpeck; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < size && yy < size && target[yy * size + xx] === TARGET.calcification) {
            nearSpeck = true;
            break;
          }
        }
      }
      if (nearSpeck) ring.push(y * size + x);
    }
  }
  for (const index of ring) target[index] = TARGET.ignore;
}

export function countTargetPixels(target: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < target.length; i++) if (target[i] === TARGET.calcification) count++;
  return count;
}
