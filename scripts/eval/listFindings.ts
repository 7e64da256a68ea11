/**
 * npm run eval:unlabelled -- <folder of PNGs> --spacing MM [--json FILE] [--config FILE]
 *
 * The production path (prepare → detect → cluster → classify) on every greyscale PNG of a folder
 * without ground truth, printing each image's reported clusters: where, detection score, P(malignant)
 * and speck count. For real images no evaluation set labels, such as ../shared/data/ffdm-sample (the
 * only real digital tissue here): a detection change that multiplies the marks there is a regression
 * that the synthetic sets do not show (models/HISTORY.md, "0.3.13"). Laterality and view are read
 * from names such as 0_L-CC.png; without them the image's outline decides.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analysePreparedImage } from '../../src/detect/analyseImage';
import { closeDetectionRuntimes, getDetectionRuntime } from '../../src/detect/detectionRuntime';
import { detectionParametersFor } from '../../src/detect/detectionParameters';
import { loadPngImage } from '../../src/imaging/pngImage';
import { prepareDecoded } from '../../src/imaging/prepareImage';
import { parseArgs, requireArg } from '../synth/parseArgs';
import { evaluationConfig } from './evaluationConfig';
import { writeFileAtomic } from './writeFileAtomic';

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
}

/** Laterality and view from a file name such as 0_L-CC.png or R_MLO.png. */
export function viewFromName(name: string): { laterality?: 'L' | 'R'; viewCode?: string } {
  const m = /(?:^|[_-])([LR])[_-](CC|MLO)(?:\.|$)/i.exec(name);
  return m ? { laterality: m[1].toUpperCase() as 'L' | 'R', viewCode: m[2].toUpperCase() } : {};
}

export async function listFindings(
  folder: string,
  spacingMm: number,
  configFile?: string,
): Promise<ListedImage[]> {
  const config = evaluationConfig(configFile);
  const params = detectionParametersFor(config);
  const files = fs
    .readdirSync(folder)
    .filter((f) => f.toLowerCase().endsWith('.png'))
    .sort();
  if (files.length === 0) throw new Error(`no PNG images in ${folder}`);
  const runtime = await getDetectionRuntime(config, params);
  const listed: ListedImage[] = [];
  for (const file of files) {
    // A corrupt PNG fails that image only, as in npm run eval.
    let png: ReturnType<typeof loadPngImage>;
    try {
      png = loadPngImage(path.join(folder, file), { spacingMm, ...viewFromName(file) });
    } catch (e) {
      listed.push({ image: file, clusters: [], failure: `not a readable PNG: ${(e as Error).message}` });
      continue;
    }
    const prepared = prepareDecoded(png.decoded, png.header, config.imaging);
    if (!prepared.ok) {
      listed.push({ image: file, clusters: [], failure: prepared.reason });
      continue;
    }
    const findings = await analysePreparedImage(prepared.image, runtime, params);
    listed.push({
      image: file,
      clusters: findings.clusters.map((k) => ({
        x: Math.round(k.center.x),
        y: Math.round(k.center.y),
        detection: Number(k.detectionScore.toFixed(3)),
        malignancy: Number(k.malignancy.toFixed(3)),
        specks: k.calcifications.length,
      })),
    });
  }
  return listed;
}

async function main(): Promise<void> {
  const [folder, ...rest] = process.argv.slice(2);
  if (!folder || folder.startsWith('--'))
    throw new Error(
      'usage: npm run eval:unlabelled -- <folder of PNGs> --spacing MM [--json FILE] [--config FILE]',
    );
  const args = parseArgs(rest);
  const spacingMm = Number(requireArg(args, 'spacing'));
  if (!(spacingMm > 0)) throw new Error('--spacing must be the pixel size in mm (> 0)');
  try {
    const listed = await listFindings(folder, spacingMm, args.get('config'));
    for (const l of listed) {
      const text =
        l.failure ??
        (l.clusters
          .map(
            (k) =>
              `(${k.x}, ${k.y}) detection ${k.detection} P(malignant) ${k.malignancy}, ${k.specks} specks`,
          )
          .join('; ') ||
          'no cluster');
      console.log(`${l.image}: ${text}`);
    }
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
