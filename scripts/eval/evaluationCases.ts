import fs from 'node:fs';
import path from 'node:path';
import type { GroundTruth } from '../../src/findings/groundTruth';
import type { CalcificationDistribution, Point } from '../../src/findings/types';
import { readImageHeader } from '../../src/imaging/imageHeader';
import { isNotAnalysable } from '../../src/imaging/notAnalysable';
import { decidePixelSpacing } from '../../src/imaging/pixelSpacing';
import { loadPngImage } from '../../src/imaging/pngImage';
import { readDicom } from '../../src/imaging/readDicom';
import { prepareDecoded, prepareImage } from '../../src/imaging/prepareImage';
import type { PrepareOptions, PrepareResult } from '../../src/imaging/preparedImage';
import { insidePolygon } from '../../src/geometry/polygon';
import { distanceToPolyline } from '../../src/geometry/polyline';
import { z } from 'zod';
import type { ScoredMark } from './froc';

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
  /** Synthetic only: a cluster in LESIONS.md's sense (isBiradsCluster), not a pair or a scattered spread. */
  biradsCluster?: boolean;
}

/** The study folder of a synthetic case's id (`s2001/L_CC.dcm` → `s2001`): the unit the trainers
 * group, dump and split by. */
export function studyOfId(id: string): string {
  return id.split(/[\\/]/)[0];
}

/**
 * The per-speck target of the detection issue: specks of at least 0.2 mm with CNR ≥ 3. `cnr` is the
 * truth's: since 2026-12-04 the speck's CNR in the image, neighbours' blurred signal included
 * (LESIONS.md: contrast over the local tissue noise); older truth files hold the speck's own CNR.
 */
export function isTargetSpeck(s: { diameterMm: number; cnr: number }): boolean {
  return s.diameterMm >= 0.2 && s.cnr >= 3;
}

/** Fewest specks a true group needs to be a cluster (isBiradsCluster). */
export const BIRADS_CLUSTER_MIN_SPECKS = 3;

/**
 * Whether a generated group is a cluster in LESIONS.md's sense. LESIONS.md, "distribution: grouped
 * (cluster)": at least 5 within 1 cm (older texts: 3 within 1 cm²); "diffuse / regional": scattered
 * over the breast. The exact rule: at least BIRADS_CLUSTER_MIN_SPECKS (3, the older texts' floor)
 * specks of the group in the truth, AND a distribution other than 'regional' or 'diffuse'. Grouped,
 * linear and segmental groups of 3 or more count; a rim or popcorn pair, a single vascular piece and
 * a regional or diffuse spread (10-32 mm radius, a few specks in any 1 cm) do not.
 */
export function isBiradsCluster(specks: number, distribution: CalcificationDistribution): boolean {
  return specks >= BIRADS_CLUSTER_MIN_SPECKS && distribution !== 'regional' && distribution !== 'diffuse';
}

/**
 * A cluster mark scored against a subset of the true clusters (visible ones, BI-RADS clusters): a
 * hit on those of the subset it falls in, a false mark when it falls in no true cluster at all, and
 * left out (null) when it falls only in true clusters outside the subset: neither hit nor false.
 */
export function subsetClusterMark(score: number, hits: string[], clusters: TruthCluster[], inSubset: (t: TruthCluster) => boolean): ScoredMark | null {
  const subsetHits = clusters.filter((t) => inSubset(t) && hits.includes(t.id)).map((t) => t.id);
  return subsetHits.length > 0 || hits.length === 0 ? { score, hits: subsetHits } : null;
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
 * one blob, to the nearest part of its skeleton, whichever is nearer; 0 inside the speck's diameter
 * (`spacingMm`: the original grid's). A mark on a vessel wall 5 mm from the vessel's midpoint, on a
 * rim's shell, or 0.45 mm from the centre of a 1 mm speck, is on the calcification.
 */
export function distanceToSpeck(p: Point, s: TruthSpeck, spacingMm: number): number {
  const centre = Math.hypot(p.x - s.x, p.y - s.y);
  if (centre <= s.diameterMm / 2 / spacingMm) return 0;
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
  /**
   * An abnormal image with calcifications but no region to hit (mini-MIAS rows without centre and
   * radius: spread through the breast). Its marks are neither hits nor false, so it is left out of the
   * cluster FROC; its breast still counts as malignant or benign.
   */
  unlocalised?: { pathology: 'benign' | 'malignant'; reason: string };
  /**
   * Circles (original pixels) around real findings the truth does not list (GroundTruth.unlabelled):
   * a mark there that hits no true speck or cluster is neither a hit nor false (inUnscoredRegion).
   */
  unscored?: { center: Point; radius: number }[];
}

/**
 * Whether a mark at `p` that hits nothing is left out of the FROCs: it lies where the image holds a
 * real finding the truth does not list, so calling it false would punish finding it.
 */
export function inUnscoredRegion(p: Point, c: Pick<EvaluationCase, 'unscored'>): boolean {
  return (c.unscored ?? []).some((r) => Math.hypot(p.x - r.center.x, p.y - r.center.y) <= r.radius);
}

/**
 * The true clusters a cluster mark centred at `p` hits (its centre inside their regions), or null
 * when it hits none and lies at an unlisted real finding (inUnscoredRegion): neither hit nor false.
 * Evaluation and every trainer that labels candidates use this one rule.
 */
export function clusterMarkHits(p: Point, c: Pick<EvaluationCase, 'clusters' | 'unscored'>): TruthCluster[] | null {
  const hits = c.clusters.filter((t) => insideRegion(p, t.region));
  return hits.length === 0 && inUnscoredRegion(p, c) ? null : hits;
}

/** A labelled image that cannot be evaluated (its image or its truth file is missing or unreadable). */
export interface CaseFailure {
  id: string;
  reason: string;
}

/** mini-MIAS images are 1024 rows high; the y axis of the original list starts at the bottom (shared/data/README.md). */
const MIAS_ROWS = 1024;

/** A true cluster's circle is never taken smaller than this (mm): annotated radii of a few pixels
 * would ask for marks on a single speck. */
const MIN_CLUSTER_RADIUS_MM = 2;

/**
 * The mini-MIAS annotation format: annotations.csv (refnum, abn_class, severity, x, row_top_origin or
 * y_bottom_origin, radius in pixels) and images/<refnum>.png, 200 µm. CALC rows are clusters (circle,
 * radius floored at 2 mm); NORM images for false marks. CALC rows without centre and radius make the
 * image unlocalised abnormal. A site's own cases use the same file with images/<refnum>.dcm: DICOM
 * files read with their header's spacing (defaultSpacingMm without one), positions in their own
 * pixels from the top (row_top_origin), and an optional `breast` column naming the breast an image
 * shows (else each image is its own breast). Labelled images whose file is missing or unreadable go
 * to `failures` when given (else they are skipped).
 */
export function miniMiasCases(folder: string, failures?: CaseFailure[], defaultSpacingMm = 0.1): EvaluationCase[] {
  const miasSpacingMm = 0.2;
  const csv = path.join(folder, 'annotations.csv');
  // A byte-order mark (spreadsheet export) would hide the first column's name.
  const lines = fs.readFileSync(csv, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.trim());
  const col = (name: string) => header.indexOf(name);
  // Rows from the top, or else from the bottom-left origin of the original list.
  const rowColumn = col('row_top_origin') >= 0 ? 'row_top_origin' : 'y_bottom_origin';
  const missing = ['refnum', 'abn_class', 'severity', 'x', 'radius', rowColumn].filter((name) => col(name) < 0);
  if (missing.length > 0)
    throw new Error(`${csv}: no column ${missing.join(', ').replace('y_bottom_origin', 'row_top_origin or y_bottom_origin')}`);
  type Circle = { center: Point; radius: number };
  const byImage = new Map<string, { normal: boolean; circles: (Circle & { pathology: 'benign' | 'malignant' })[]; breast?: string; unlocalised?: 'benign' | 'malignant' }>();
  for (const [index, line] of lines.slice(1).entries()) {
    const where = `${csv} line ${index + 2}`;
    const f = line.split(',').map((v) => v.trim());
    const field = (name: string) => f[col(name)] ?? '';
    const ref = field('refnum');
    const cls = field('abn_class');
    if (cls !== 'CALC' && cls !== 'NORM') continue;
    const entry = byImage.get(ref) ?? { normal: cls === 'NORM', circles: [] };
    if (col('breast') >= 0 && field('breast') !== '') entry.breast ??= field('breast');
    if (cls === 'CALC') {
      const severity = field('severity');
      if (severity !== 'B' && severity !== 'M') throw new Error(`${where}: severity "${severity}" is neither B nor M`);
      const pathology = severity === 'M' ? 'malignant' : 'benign';
      const position = [field('x'), field(rowColumn), field('radius')];
      if (position.every((v) => v === '')) {
        // Calcifications spread through the breast (MIAS): no region a mark could hit or miss.
        entry.unlocalised = entry.unlocalised === 'malignant' ? 'malignant' : pathology;
      } else {
        const [x, y, r] = position.map(Number);
        if (position.some((v) => v === '') || ![x, y, r].every(Number.isFinite))
          throw new Error(`${where}: x, ${rowColumn} and radius must be numbers or all empty, got "${position.join('", "')}"`);
        const row = rowColumn === 'row_top_origin' ? y : MIAS_ROWS - y;
        entry.circles.push({ center: { x, y: row }, radius: r, pathology });
      }
    }
    byImage.set(ref, entry);
  }
  const cases: EvaluationCase[] = [];
  for (const [ref, entry] of [...byImage].sort((a, b) => a[0].localeCompare(b[0]))) {
    const unlocalised = entry.unlocalised && {
      pathology: entry.unlocalised,
      reason: 'calcifications without centre and radius (spread through the breast): marks can be neither hits nor false',
    };
    const clustersAt = (spacingMm: number): TruthCluster[] =>
      // Where calcifications are spread, a localised cluster beside them cannot be scored either.
      unlocalised
        ? []
        : entry.circles.map((c, i) => ({
            id: `${ref}#${i + 1}`,
            region: { center: c.center, radius: Math.max(c.radius, MIN_CLUSTER_RADIUS_MM / spacingMm) },
            pathology: c.pathology,
          }));
    const common = { id: ref, specks: null, ...(unlocalised ? { unlocalised } : {}) };
    const file = path.join(folder, 'images', `${ref}.png`);
    const dicom = path.join(folder, 'images', `${ref}.dcm`);
    if (!fs.existsSync(file) && fs.existsSync(dicom)) {
      const site = siteDicomCase(dicom, rowColumn, defaultSpacingMm);
      if (typeof site === 'string') {
        failures?.push({ id: ref, reason: site });
        continue;
      }
      cases.push({
        ...common,
        breast: entry.breast ?? `${ref}-${site.laterality ?? 'unknown side'}`,
        spacingMm: site.spacingMm,
        clusters: clustersAt(site.spacingMm),
        prepare: (opts) => prepareImage(dicom, opts),
      });
      continue;
    }
    if (!fs.existsSync(file)) {
      failures?.push({ id: ref, reason: `image file missing: ${file}` });
      continue;
    }
    const number = Number(ref.replace(/\D/g, ''));
    // Consecutive odd/even numbers are one woman's breasts: even left, odd right (the MIAS list; every
    // odd image whose outline decides the side has its chest wall on the right, as a right breast is stored).
    const laterality = number % 2 === 0 ? 'L' : 'R';
    cases.push({
      ...common,
      breast: entry.breast ?? `woman${Math.ceil(number / 2)}-${laterality}`,
      spacingMm: miasSpacingMm,
      clusters: clustersAt(miasSpacingMm),
      prepare: async (opts) => {
        // A corrupt PNG fails this image only, as a corrupt DICOM does.
        let png: ReturnType<typeof loadPngImage>;
        try {
          png = loadPngImage(file, { spacingMm: miasSpacingMm, laterality, viewCode: 'MLO' });
        } catch (e) {
          return { ok: false, reason: `${file}: not a readable PNG: ${(e as Error).message}` };
        }
        return prepareDecoded(png.decoded, png.header, opts);
      },
    });
  }
  return cases;
}

/** A site's DICOM image in the mini-MIAS format: its spacing (column axis, mm) and side from the
 * header, or why it cannot be evaluated. */
function siteDicomCase(
  file: string,
  rowColumn: string,
  defaultSpacingMm: number,
): { spacingMm: number; laterality?: 'L' | 'R' } | string {
  // Rows counted from the bottom are the 1024-row mini-MIAS list's convention, not a DICOM image's.
  if (rowColumn !== 'row_top_origin') return `${file}: DICOM images need positions as row_top_origin (rows from the top)`;
  const parsed = readDicom(file);
  if (isNotAnalysable(parsed)) return `${file}: ${parsed.reason}`;
  const header = readImageHeader(parsed.dataset, parsed.transferSyntaxUid);
  return { spacingMm: decidePixelSpacing(header, defaultSpacingMm).spacingMm[1], laterality: header.laterality };
}

const point = z.object({ x: z.number(), y: z.number() });
/** The parts of a .truth.json (GroundTruth) that evaluation reads. */
const truthSchema = z.object({
  pixelSpacingMm: z.tuple([z.number().positive(), z.number().positive()]),
  laterality: z.enum(['L', 'R']),
  specks: z.array(
    z.object({
      x: z.number(),
      y: z.number(),
      diameterMm: z.number(),
      cnr: z.number(),
      clusterId: z.number().nullable(),
      skeleton: z.array(z.array(point)).optional(),
    }),
  ),
  unlabelled: z.array(z.object({ center: point, radiusMm: z.number().positive(), what: z.string() })).optional(),
  clusters: z.array(
    z.object({
      id: z.number(),
      outline: z.array(point).min(3),
      pathology: z.enum(['benign', 'malignant']),
      distribution: z.enum(['grouped', 'linear', 'segmental', 'regional', 'diffuse']),
    }),
  ),
});

/** Why a truth file cannot be used, or its content. */
function readTruth(truthFile: string): GroundTruth | string {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(truthFile, 'utf8'));
  } catch (e) {
    return `unreadable ground truth: ${(e as Error).message}`;
  }
  const parsed = truthSchema.safeParse(json);
  if (parsed.success) return json as GroundTruth;
  const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return `incomplete ground truth: ${issues.join('; ')}`;
}

/**
 * Synthetic studies: every `<name>.dcm` with `<name>.truth.json` beside it, in the folder or one level
 * down. A truth file without its image, or malformed, goes to `failures` when given; else the first
 * skips it and the second throws, naming the file.
 */
export function syntheticCases(folder: string, failures?: CaseFailure[]): EvaluationCase[] {
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
      const id = path.relative(folder, dicom);
      if (!fs.existsSync(dicom)) {
        failures?.push({ id, reason: `image file missing: ${dicom} (for ${truthFile})` });
        return null;
      }
      const truth = readTruth(truthFile);
      if (typeof truth === 'string') {
        if (!failures) throw new Error(`${truthFile}: ${truth}`);
        failures.push({ id, reason: `${truthFile}: ${truth}` });
        return null;
      }
      const c: EvaluationCase = {
        id,
        breast: `${path.dirname(id)}-${truth.laterality}`,
        spacingMm: truth.pixelSpacingMm[1],
        clusters: truth.clusters.map((k) => ({
          id: `${id}#${k.id}`,
          region: { polygon: k.outline },
          pathology: k.pathology,
          visible: truth.specks.filter((s) => s.clusterId === k.id && isTargetSpeck(s)).length >= VISIBLE_CLUSTER_MIN_SPECKS,
          biradsCluster: isBiradsCluster(truth.specks.filter((s) => s.clusterId === k.id).length, k.distribution),
        })),
        specks: truth.specks.map((s) => ({ x: s.x, y: s.y, diameterMm: s.diameterMm, cnr: s.cnr, skeleton: s.skeleton })),
        ...(truth.unlabelled?.length
          ? { unscored: truth.unlabelled.map((u) => ({ center: u.center, radius: u.radiusMm / truth.pixelSpacingMm[1] })) }
          : {}),
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
