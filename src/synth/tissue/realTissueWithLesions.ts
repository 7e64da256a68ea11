import type { Point } from '../../findings/types';
import type { DecodedImage } from '../../imaging/decodedImage';
import type { ImageHeader } from '../../imaging/imageHeader';
import { computeBreastMask } from '../../imaging/mask/breastMask';
import { loadPngImage } from '../../imaging/pngImage';
import type { AttenuationImage } from '../attenuationImage';
import { drawClusterKind, drawPsfSigmaPx, insertLesions, type ClusterKind, type LesionSet } from '../lesions/lesionSet';
import { SeededRandom } from '../random';
import { findBrightSpecks } from './brightSpecks';
import type { ReferenceTissueImage } from './referenceImages';

/** Label of pixels around calcification-like spots the normal image already has (patchScene's TARGET.ignore). */
export const IGNORE_LABEL = 255;

/** A real normal mammogram with synthetic calcifications inserted: the pixels, the truth and what the inserter knew. */
export interface RealTissueWithLesions {
  decoded: DecodedImage;
  header: ImageHeader;
  /** Breast mask on the original grid. */
  mask: Uint8Array;
  /** IGNORE_LABEL around bright specks that were there before insertion, else 0 (original grid). */
  ignore: Uint8Array;
  lesions: LesionSet;
  /** The generator after insertion, for whatever the caller draws next from the same seed. */
  random: SeededRandom;
}

/** True when a disc of `radiusPx` around (x, y) lies in the mask (checked on 12 rim points and the centre). */
function discInMask(mask: Uint8Array, width: number, height: number, x: number, y: number, radiusPx: number): boolean {
  for (let k = 0; k <= 12; k++) {
    const theta = (k / 12) * 2 * Math.PI;
    const r = k === 12 ? 0 : radiusPx;
    const px = Math.floor(x + r * Math.cos(theta));
    const py = Math.floor(y + r * Math.sin(theta));
    if (px < 0 || py < 0 || px >= width || py >= height || !mask[py * width + px]) return false;
  }
  return true;
}

/**
 * Synthetic calcifications inserted into a real normal mammogram (mini-MIAS film or the FFDM sample).
 * Stored values of these For Presentation images are log-like (denser is brighter), so they serve as
 * the attenuation map directly; specks are added there at a CNR against the image's own local
 * texture and the result re-quantised to the original bit depth. Strong bright specks already
 * present are marked "ignore" and no cluster is centred on them.
 */
export function insertIntoRealTissue(reference: ReferenceTissueImage, seed: number): RealTissueWithLesions {
  const random = new SeededRandom(seed);
  const png = loadPngImage(reference.path, { spacingMm: reference.spacingMm, laterality: reference.laterality, viewCode: reference.view });
  const { rows, columns, bitsStored } = png.decoded;
  const values = Float32Array.from(png.decoded.pixels);
  const { mask } = computeBreastMask(values, columns, rows);
  const image: AttenuationImage = { width: columns, height: rows, spacingMm: reference.spacingMm, attenuation: values, breastMask: mask };

  const labels = new Uint8Array(columns * rows);
  const ignoreRadius = Math.max(2, Math.round(0.6 / reference.spacingMm));
  const existing = findBrightSpecks(values, mask, columns, rows, reference.spacingMm);
  for (const speck of existing.slice(0, 2000)) {
    for (let dy = -ignoreRadius; dy <= ignoreRadius; dy++) {
      for (let dx = -ignoreRadius; dx <= ignoreRadius; dx++) {
        const x = Math.floor(speck.x) + dx;
        const y = Math.floor(speck.y) + dy;
        if (dx * dx + dy * dy <= ignoreRadius * ignoreRadius && x >= 0 && y >= 0 && x < columns && y < rows) labels[y * columns + x] = IGNORE_LABEL;
      }
    }
  }

  // Chest wall: the taller end of the mask; the nipple: the mask point farthest from it.
  let leftHeight = 0;
  let rightHeight = 0;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < 8; x++) leftHeight += mask[y * columns + x];
    for (let x = columns - 8; x < columns; x++) rightHeight += mask[y * columns + x];
  }
  const chestWallLeft = leftHeight >= rightHeight;
  let nipple: Point = { x: chestWallLeft ? columns - 1 : 0, y: rows / 2 };
  let reach = -1;
  for (let y = 0; y < rows; y += 2) {
    for (let x = 0; x < columns; x += 2) {
      if (!mask[y * columns + x]) continue;
      const d = chestWallLeft ? x : columns - x;
      if (d > reach) {
        reach = d;
        nipple = { x, y };
      }
    }
  }

  const inTissue = (minDepthMm: number): Point | undefined => {
    for (let attempt = 0; attempt < 400; attempt++) {
      const p = { x: random.uniform(0, columns), y: random.uniform(0, rows) };
      if (discInMask(mask, columns, rows, p.x, p.y, minDepthMm / reference.spacingMm) && labels[Math.floor(p.y) * columns + Math.floor(p.x)] === 0) return p;
    }
    return undefined;
  };
  const clusters: { kind: ClusterKind; centre: Point }[] = [];
  for (let c = random.int(2, 4); c > 0; c--) {
    const centre = inTissue(8);
    if (!centre) break;
    clusters.push({ kind: drawClusterKind(random), centre });
  }
  const isolated: Point[] = [];
  for (let s = random.int(4, 12); s > 0; s--) {
    const p = inTissue(3);
    if (p) isolated.push(p);
  }
  // Film blurs more than a digital detector: 0.1-0.18 mm sigma on mini-MIAS.
  const psfSigmaPx = reference.film ? random.uniform(0.5, 0.9) : drawPsfSigmaPx(reference.spacingMm, random);
  const lesions = insertLesions(
    image,
    { clusters, isolated, psfSigmaPx, nipple, accept: (x, y) => discInMask(mask, columns, rows, x, y, 1.5 / reference.spacingMm) },
    undefined,
    random.fork(9),
  );

  const max = 2 ** bitsStored - 1;
  const pixels = bitsStored > 8 ? new Uint16Array(values.length) : new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) pixels[i] = Math.max(0, Math.min(max, Math.round(values[i])));
  return { decoded: { ...png.decoded, pixels }, header: png.header, mask, ignore: labels, lesions, random };
}

