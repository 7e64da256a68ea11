import fs from 'node:fs';
import path from 'node:path';
import type { GroundTruth } from '../../src/findings/groundTruth';
import type { Point } from '../../src/findings/types';
import { loadPngImage } from '../../src/imaging/pngImage';
import { prepareDecoded, prepareImage } from '../../src/imaging/prepareImage';
import type { PrepareOptions, PrepareResult } from '../../src/imaging/preparedImage';
import { insidePolygon } from '../../src/geometry/polygon';
import { distanceToPolyline } from '../../src/geometry/polyline';

/** A true cluster: its region (a polygon, or a circle for mini-MIAS) and pathology. */
export interface TruthCluster {
  id: string;
  region: { polygon: Point[] } | { center: Point; radius: number };
  pathology: 'benign' | 'malignant';
  /**
   * Synthetic only: at least VISIBLE_CLUSTER_MIN_SPECKS of its specks are per-speck targets. A
   * cluster whose specks are all near the detection limit can only be found as a group, if at all.
   */
  visible?: boolean;
}

/** The per-speck target of the detection issue: specks of at least 0.2 mm with CNR ≥ 3. */
export function isTargetSpeck(s: { diameterMm: number; cnr: number }): boolean {
  return s.diameterMm >= 0.2 && s.cnr >= 3;
}

/** As many target specks as the pipeline needs to form a cluster (inference.clusterMinSpecks' default). */
export const VISIBLE_CLUSTER_MIN_SPECKS = 3;

export interface TruthSpeck {
  x: number;
  y: number;
  diameterMm: number;
  cnr: number;
  /** Forms of more than one blob: where the calcium runs (GroundTruthSpeck.skeleton). */
  skeleton?: Point[][];
}

/**
 * Distance (original pixels) from a mark to a true speck: to its centre or, for a form of more than
 * one blob, to the nearest part of its skeleton, whichever is nearer. A mark on a vessel wall 5 mm
 * from the vessel's midpoint, or on a rim's shell, is on the calcification.
 */
export function distanceToSpeck(p: Point, s: TruthSpeck): number {
  const centre = Math.hypot(p.x - s.x, p.y - s.y);
  return Math.min(centre, ...(s.skeleton ?? []).map((line) => distanceToPolyline(p, line)));
}

/** One labelled image, loaded lazily so a big dataset never sits in memory at once. */
export interface EvaluationCase {
  id: string;
  breast: string;
  prepare(opts: PrepareOptions): Promise<PrepareResult>;
  /** Original-grid pixel spacing (mm), for distances in mm. */
  spacingMm: number;
  clusters: TruthCluster[];
  /** null where specks are not annotated (mini-MIAS). */
  specks: TruthSpeck[] | null;
}

/** mini-MIAS: 200 µm PNGs; CALC rows are clusters (circle, radius floored at 2 mm); NORM images for false marks. */
export function miniMiasCases(folder: string): EvaluationCase[] {
  const spacingMm = 0.2;
  const lines = fs.readFileSync(path.join(folder, 'annotations.csv'), 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const col = (name: string) => header.indexOf(name);
  const byImage = new Map<string, { normal: boolean; clusters: TruthCluster[] }>();
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    const ref = f[col('refnum')];
    const cls = f[col('abn_class')];
    if (cls !== 'CALC' && cls !== 'NORM') continue;
    const entry = byImage.get(ref) ?? { normal: cls === 'NORM', clusters: [] };
    if (cls === 'CALC' && f[col('x')] !== '') {
      const radius = Math.max(Number(f[col('radius')]), 2 / spacingMm);
      entry.clusters.push({
        id: `${ref}#${entry.clusters.length + 1}`,
        region: { center: { x: Number(f[col('x')]), y: Number(f[col('row_top_origin')]) }, radius },
        pathology: f[col('severity')] === 'M' ? 'malignant' : 'benign',
      });
    }
    byImage.set(ref, entry);
  }
  const cases: EvaluationCase[] = [];
  for (const [ref, entry] of [...byImage].sort((a, b) => a[0].localeCompare(b[0]))) {
    const file = path.join(folder, 'images', `${ref}.png`);
    if (!fs.existsSync(file)) continue;
    const number = Number(ref.replace(/\D/g, ''));
    // Consecutive odd/even numbers are the left and right breast of one woman.
    const laterality = number % 2 === 1 ? 'L' : 'R';
    cases.push({
      id: ref,
      breast: `woman${Math.ceil(number / 2)}-${laterality}`,
      spacingMm,
      clusters: entry.clusters,
      specks: null,
      prepare: async (opts) => {
        const png = loadPngImage(file, { spacingMm, laterality, viewCode: 'MLO' });
        return prepareDecoded(png.decoded, png.header, opts);
      },
    });
  }
  return cases;
}

/** Synthetic studies: every `<name>.dcm` with `<name>.truth.json` beside it, in the folder or one level down. */
export function syntheticCases(folder: string): EvaluationCase[] {
  const truthFiles: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < 2) walk(full, depth + 1);
      else if (entry.name.endsWith('.truth.json')) truthFiles.push(full);
    }
  };
  walk(folder, 0);
  return truthFiles
    .map((truthFile) => {
      const dicom = truthFile.replace(/\.truth\.json$/, '.dcm');
      if (!fs.existsSync(dicom)) return null;
      const truth = JSON.parse(fs.readFileSync(truthFile, 'utf8')) as GroundTruth;
      const id = path.relative(folder, dicom);
      const c: EvaluationCase = {
        id,
        breast: `${path.dirname(id)}-${truth.laterality}`,
        spacingMm: truth.pixelSpacingMm[1],
        clusters: truth.clusters.map((k) => ({
          id: `${id}#${k.id}`,
          region: { polygon: k.outline },
          pathology: k.pathology,
          visible: truth.specks.filter((s) => s.clusterId === k.id && isTargetSpeck(s)).length >= VISIBLE_CLUSTER_MIN_SPECKS,
        })),
        specks: truth.specks.map((s) => ({ x: s.x, y: s.y, diameterMm: s.diameterMm, cnr: s.cnr, skeleton: s.skeleton })),
        prepare: (opts) => prepareImage(dicom, opts),
      };
      return c;
    })
    .filter((c): c is EvaluationCase => c !== null);
}

export function insideRegion(p: Point, region: TruthCluster['region']): boolean {
  if ('center' in region) return Math.hypot(p.x - region.center.x, p.y - region.center.y) <= region.radius;
  return insidePolygon(p, region.polygon);
}
