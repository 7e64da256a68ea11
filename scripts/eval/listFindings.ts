/**
 * npm run eval:unlabelled -- <folder> [--spacing MM] [--json FILE] [--config FILE]
 *
 * The production path (prepare → detect → cluster → classify) on every image of a folder and its
 * subfolders without ground truth, printing each image's reported clusters: where, detection score,
 * P(malignant) and speck count. For real images no evaluation set labels: a site's own normal
 * exams as DICOM files (any name; pixel spacing, laterality and view from the header), or PNGs such
 * as ../shared/data/ffdm-sample (the only real digital tissue here), read at --spacing. A detection
 * change that multiplies the marks there is a regression that the synthetic sets do not show
 * (models/HISTORY.md, "0.3.13"). A PNG's laterality and view are read from names such as
 * 0_L-CC.png; without them the image's outline decides. A file that cannot be analysed (a dose
 * report, a placeholder, a corrupt PNG) is listed with its reason and the run goes on.
 */
import path from 'node:path';
import { analysePreparedImage, assumedSpacing } from '../../src/detect/analyseImage';
import { closeDetectionRuntimes, getDetectionRuntime } from '../../src/detect/detectionRuntime';
import { detectionParametersFor } from '../../src/detect/detectionParameters';
import { filesUnder, isPart10 } from '../../src/dicom/collectDicomFiles';
import type { ImageFindings } from '../../src/findings/types';
import type { PrepareOptions, PrepareResult } from '../../src/imaging/preparedImage';
import { loadPngImage } from '../../src/imaging/pngImage';
import { prepareDecoded, prepareImage } from '../../src/imaging/prepareImage';
import { parseArgs } from '../synth/parseArgs';
import { evaluationConfig } from './evaluationConfig';
import { writeFileAtomic } from './writeFileAtomic';
import { bridgeDicomLibraryLogging } from '../../src/log/dicomLibraryLogBridge';

export interface ListedCluster {
  x: number;
  y: number;
  detection: number;
  malignancy: number;
  specks: number;
}

export interface ListedImage {
  image: string;
  clusters: ListedCluster[];
  failure?: string;
  /** Set when the header gave no pixel spacing and one was assumed (sizes and marks may be off): findings' fields. */
  assumedSpacingMm?: number;
  assumedSpacingFrom?: ImageFindings['assumedSpacingFrom'];
}

/** Laterality and view from a file name such as 0_L-CC.png or R_MLO.png. */
export function viewFromName(name: string): { laterality?: 'L' | 'R'; viewCode?: string } {
  const m = /(?:^|[_-])([LR])[_-](CC|MLO)(?:\.|$)/i.exec(name);
  return m ? { laterality: m[1].toUpperCase() as 'L' | 'R', viewCode: m[2].toUpperCase() } : {};
}

/** The images under a folder (subfolders too), by name relative to it: PNGs by extension, DICOM
 * Part 10 files by their preamble. */
function imagesIn(folder: string): { name: string; file: string; png: boolean }[] {
  return filesUnder([folder]).flatMap((file) => {
    const png = file.toLowerCase().endsWith('.png');
    return png || isPart10(file) ? [{ name: path.relative(path.resolve(folder), file), file, png }] : [];
  });
}

/** A PNG prepared as production prepares a decoded image; a corrupt one fails, as in npm run eval. */
function preparePng(file: string, spacingMm: number, opts: PrepareOptions): PrepareResult {
  let png: ReturnType<typeof loadPngImage>;
  try {
    png = loadPngImage(file, { spacingMm, ...viewFromName(path.basename(file)) });
  } catch (e) {
    return { ok: false, reason: `not a readable PNG: ${(e as Error).message}` };
  }
  return prepareDecoded(png.decoded, png.header, opts);
}

/** Each image's reported clusters; pngSpacingMm is needed only when the folder holds PNGs. onImage
 * hears each image as soon as it is done, so a long run over a site's exams shows its progress. */
export async function listFindings(
  folder: string,
  pngSpacingMm?: number,
  configFile?: string,
  onImage: (listed: ListedImage, done: number, total: number) => void = () => {},
): Promise<ListedImage[]> {
  const config = evaluationConfig(configFile);
  const params = detectionParametersFor(config);
  const images = imagesIn(folder);
  if (images.length === 0) throw new Error(`no PNG or DICOM images in ${folder}`);
  const pngs = images.filter((i) => i.png).length;
  if (pngs > 0 && pngSpacingMm === undefined)
    throw new Error(
      `--spacing MM is needed for the ${pngs} PNG image(s) in ${folder} (DICOM files carry their own)`,
    );
  const runtime = await getDetectionRuntime(config, params);
  const listed: ListedImage[] = [];
  for (const { name, file, png } of images) {
    const prepared = png
      ? preparePng(file, pngSpacingMm!, config.imaging)
      : await prepareImage(file, config.imaging);
    if (!prepared.ok) {
      listed.push({ image: name, clusters: [], failure: prepared.reason });
    } else {
      const findings = await analysePreparedImage(prepared.image, runtime, params);
      listed.push({
        image: name,
        ...assumedSpacing(prepared.image),
        clusters: findings.clusters.map((k) => ({
          x: Math.round(k.center.x),
          y: Math.round(k.center.y),
          detection: Number(k.detectionScore.toFixed(3)),
          malignancy: Number(k.malignancy.toFixed(3)),
          specks: k.calcifications.length,
        })),
      });
    }
    onImage(listed[listed.length - 1], listed.length, images.length);
  }
  return listed;
}

const ASSUMED_FROM = { spatialResolution: 'its Spatial Resolution', default: 'imaging.defaultSpacingMm' } as const;

/** One line per image: its clusters, or why it could not be analysed. */
function describe(l: ListedImage): string {
  const text =
    l.failure ??
    (l.clusters
      .map(
        (k) => `(${k.x}, ${k.y}) detection ${k.detection} P(malignant) ${k.malignancy}, ${k.specks} specks`,
      )
      .join('; ') ||
      'no cluster');
  const assumed =
    l.assumedSpacingMm === undefined
      ? ''
      : ` [no pixel spacing in the header: ${l.assumedSpacingMm} mm assumed from ${ASSUMED_FROM[l.assumedSpacingFrom ?? 'default']}]`;
  return `${l.image}${assumed}: ${text}`;
}

async function main(): Promise<void> {
  bridgeDicomLibraryLogging(); // a damaged file's reason is printed below, not dcmjs's stack trace
  const [folder, ...rest] = process.argv.slice(2);
  if (!folder || folder.startsWith('--'))
    throw new Error(
      'usage: npm run eval:unlabelled -- <folder of DICOM files or PNGs> [--spacing MM (for PNGs)] [--json FILE] [--config FILE]',
    );
  const args = parseArgs(rest);
  const spacing = args.get('spacing');
  const spacingMm = spacing === undefined ? undefined : Number(spacing);
  if (spacingMm !== undefined && !(spacingMm > 0))
    throw new Error("--spacing must be the PNGs' pixel size in mm (> 0)");
  try {
    const listed = await listFindings(folder, spacingMm, args.get('config'), (l, done, total) =>
      console.log(`[${done}/${total}] ${describe(l)}`),
    );
    const json = args.get('json');
    if (json) writeFileAtomic(json, JSON.stringify({ folder, spacingMm, images: listed }, null, 1));
  } finally {
    await closeDetectionRuntimes();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
