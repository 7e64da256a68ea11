import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Point } from '../../findings/types';
import { loadPngImage } from '../../imaging/pngImage';
import { prepareDecoded } from '../../imaging/prepareImage';
import type { PreparedImage } from '../../imaging/preparedImage';
import { proceduralScene } from '../patches/proceduralScene';
import { realTissueScene } from '../patches/realTissueScene';
import type { PatchScene } from '../patches/patchScene';
import { DEFAULT_SPACING_MM, WORKING_SPACING_MM } from '../patches/preparedFromAttenuation';
import { ffdmSampleImages, miasNormalImages, REFERENCE_DATA_DIR } from '../tissue/referenceImages';
import { greyscalePng } from './greyscalePng';

/** A square crop of a prepared image (working grid, 0.07 mm), `size` pixels. */
export interface SheetTile {
  values: Float32Array;
  size: number;
}

/** Crop side in mm: 12.8 mm, the ±32 px of mini-MIAS at 200 µm. */
export const CROP_MM = 12.8;

export function cropPrepared(image: PreparedImage, centre: Point, size: number): SheetTile {
  const values = new Float32Array(size * size);
  // Shifted to stay inside the image, so no edge is smeared across the crop.
  const x0 = Math.max(0, Math.min(image.width - size, Math.round(centre.x - size / 2)));
  const y0 = Math.max(0, Math.min(image.height - size, Math.round(centre.y - size / 2)));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sx = Math.min(image.width - 1, Math.max(0, x0 + x));
      const sy = Math.min(image.height - 1, Math.max(0, y0 + y));
      values[y * size + x] = image.pixels[sy * image.width + sx];
    }
  }
  return { values, size };
}

/** Real calcification clusters of mini-MIAS, centred on the annotated centre, prepared like any input. */
export function realMiasCalcificationTiles(refnums: string[], dataDir = REFERENCE_DATA_DIR): SheetTile[] {
  const csv = join(dataDir, 'mini-mias-dev', 'annotations.csv');
  if (!existsSync(csv)) return [];
  const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const size = Math.round(CROP_MM / WORKING_SPACING_MM);
  const tiles: SheetTile[] = [];
  for (const refnum of refnums) {
    const row = rows.find((r) => r[0] === refnum && r[2] === 'CALC' && r[4] !== '');
    const path = join(dataDir, 'mini-mias-dev', 'images', `${refnum}.png`);
    if (!row || !existsSync(path)) continue;
    const png = loadPngImage(path, { spacingMm: 0.2, laterality: Number(refnum.slice(3)) % 2 === 1 ? 'L' : 'R', viewCode: 'MLO' });
    const prepared = prepareDecoded(png.decoded, png.header, { workingSpacingMm: WORKING_SPACING_MM, defaultSpacingMm: DEFAULT_SPACING_MM });
    if (!prepared.ok) continue;
    // Annotation: x and row_top_origin in 200 µm pixels (shared/data/README.md).
    const centre = prepared.image.transform.toWorking({ x: Number(row[4]) + 0.5, y: Number(row[7]) + 0.5 });
    // mdb212 and mdb214 are annotated at a point of air in these files (x looks mirrored): leave
    // out any crop whose centre is not breast rather than guess.
    if (!prepared.image.mask[Math.floor(centre.y) * prepared.image.width + Math.floor(centre.x)]) continue;
    tiles.push(cropPrepared(prepared.image, centre, size));
  }
  return tiles;
}

/** Crops around the (non-large-form) clusters a synthetic scene holds. */
export function syntheticClusterTiles(scene: PatchScene, limit: number): SheetTile[] {
  const size = Math.round(CROP_MM / WORKING_SPACING_MM);
  const byCluster = new Map<number, Point[]>();
  for (const speck of scene.specks) {
    if (speck.clusterId === null || speck.largeForm) continue;
    const list = byCluster.get(speck.clusterId) ?? [];
    list.push(scene.prepared.transform.toWorking(speck));
    byCluster.set(speck.clusterId, list);
  }
  const tiles: SheetTile[] = [];
  for (const points of byCluster.values()) {
    if (tiles.length >= limit) break;
    const centre = { x: points.reduce((a, p) => a + p.x, 0) / points.length, y: points.reduce((a, p) => a + p.y, 0) / points.length };
    tiles.push(cropPrepared(scene.prepared, centre, size));
  }
  return tiles;
}

/**
 * Rows of tiles → one greyscale PNG: each tile stretched on its own 1-99.8% range and box-resampled
 * to `cell` pixels. Rows (top to bottom) are whatever the caller passes, e.g. real mini-MIAS
 * clusters, synthetic clusters in mini-MIAS tissue, in procedural tissue, in FFDM tissue.
 */
export function renderContactSheet(rows: SheetTile[][], columns: number, cell: number): Buffer {
  const gap = 3;
  const width = columns * (cell + gap) + gap;
  const height = rows.length * (cell + gap) + gap;
  const canvas = new Float32Array(width * height).fill(1);
  rows.forEach((row, r) => {
    row.slice(0, columns).forEach((tile, c) => {
      const sorted = Array.from(tile.values).sort((a, b) => a - b);
      const low = sorted[Math.floor(sorted.length * 0.01)];
      const high = sorted[Math.floor(sorted.length * 0.998)];
      const span = Math.max(high - low, 1e-9);
      const scale = tile.size / cell;
      for (let y = 0; y < cell; y++) {
        for (let x = 0; x < cell; x++) {
          // Box average over the source pixels this cell pixel covers (keeps small specks visible).
          let sum = 0;
          let n = 0;
          for (let sy = Math.floor(y * scale); sy < Math.max(Math.floor(y * scale) + 1, Math.floor((y + 1) * scale)); sy++) {
            for (let sx = Math.floor(x * scale); sx < Math.max(Math.floor(x * scale) + 1, Math.floor((x + 1) * scale)); sx++) {
              sum += tile.values[Math.min(tile.size - 1, sy) * tile.size + Math.min(tile.size - 1, sx)];
              n++;
            }
          }
          const v = (sum / n - low) / span;
          canvas[(gap + r * (cell + gap) + y) * width + gap + c * (cell + gap) + x] = Math.max(0, Math.min(1, v));
        }
      }
    });
  });
  return greyscalePng(canvas, width, height, 0, 1);
}

/** The standard sheet: real mini-MIAS clusters, then synthetic ones in mini-MIAS, procedural and FFDM tissue. */
export function standardContactSheet(columns: number, cell: number, seed: number): { png: Buffer; rowCounts: number[] } {
  const real = realMiasCalcificationTiles(['mdb211', 'mdb213', 'mdb238', 'mdb212', 'mdb214', 'mdb218', 'mdb222']);
  const collect = (make: (s: number) => PatchScene | undefined): SheetTile[] => {
    const tiles: SheetTile[] = [];
    for (let s = seed; tiles.length < columns && s < seed + 20; s++) {
      const scene = make(s);
      if (scene) tiles.push(...syntheticClusterTiles(scene, columns - tiles.length));
    }
    return tiles;
  };
  const mias = miasNormalImages(false);
  const ffdm = ffdmSampleImages(false);
  const rows = [
    real,
    mias.length ? collect((s) => realTissueScene(mias[(s * 7) % mias.length], s)) : [],
    collect((s) => proceduralScene(s)),
    ffdm.length ? collect((s) => realTissueScene(ffdm[s % ffdm.length], s)) : [],
  ].filter((row) => row.length > 0);
  return { png: renderContactSheet(rows, columns, cell), rowCounts: rows.map((r) => r.length) };
}
