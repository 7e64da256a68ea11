import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { UnlabelledRegion } from '../../findings/groundTruth';

/** The read-only reference data (shared/data/README.md); never copied into the repository. */
export const REFERENCE_DATA_DIR = process.env.MAMMOCAD_DATA_DIR ?? resolve(__dirname, '../../../../shared/data');

export interface ReferenceTissueImage {
  path: string;
  name: string;
  spacingMm: number;
  laterality: 'L' | 'R';
  view: 'CC' | 'MLO';
  /** Film (mini-MIAS) or digital (FFDM sample): decides the blur and bit depth expected. */
  film: boolean;
  /** Real calcifications the image already holds, where known (UNLABELLED_FFDM_FINDINGS). */
  unlabelled: UnlabelledRegion[];
}

/**
 * Places in the held-out FFDM view that hold real calcifications, looked at by eye in 10 mm crops
 * (models/HISTORY.md, 0.3.19, "The real view's own calcifications"): the view's
 * cluster, three single punctate dots and a thin straight bright line 5 mm long. Radii as the
 * forty-third session left them out (HISTORY, the 4.5 mm stage): 10 mm around the cluster, whose
 * marks spread over 4 mm, and 3 mm around the rest. Coordinates in the PNG's pixels (x = column).
 * The training views were looked at the same way in the forty-fifth session (HISTORY.md, "Checked
 * 2026-12-06, forty-fifth session"): the twelve strongest heatmap marks of each in 8 mm crops. Two
 * clear punctate dots and one faint round one; every other mark lies on vessels, ligament crossings
 * or the pectoral edge. L-CC showed none. The speck stage learns these views' marks as tissue, so a
 * real dot left in would teach it to call real calcifications tissue (LESIONS.md: "mask strong
 * existing specks out").
 */
const UNLABELLED_FFDM_FINDINGS: Record<string, UnlabelledRegion[]> = {
  '0_R-MLO': [
    { center: { x: 452, y: 1821 }, radiusMm: 10, what: 'real calcification cluster (judged by eye)' },
    { center: { x: 400, y: 1125 }, radiusMm: 3, what: 'punctate dot, likely a real calcification (judged by eye)' },
    { center: { x: 637, y: 1450 }, radiusMm: 3, what: 'punctate dot, likely a real calcification (judged by eye)' },
    { center: { x: 825, y: 1150 }, radiusMm: 3, what: 'punctate dot, likely a real calcification (judged by eye)' },
    { center: { x: 600, y: 1700 }, radiusMm: 3, what: 'thin straight bright line 5 mm long, likely a linear calcification (judged by eye)' },
  ],
  '0_R-CC': [
    { center: { x: 613, y: 663 }, radiusMm: 3, what: 'punctate dot, likely a real calcification (judged by eye)' },
    { center: { x: 719, y: 1167 }, radiusMm: 3, what: 'faint round dot, possibly a real calcification (judged by eye)' },
  ],
  '0_L-MLO': [{ center: { x: 627, y: 153 }, radiusMm: 3, what: 'punctate dot, likely a real calcification (judged by eye)' }],
};

/**
 * mini-MIAS images whose only annotation is NORM (normal), as background tissue: 200 µm, 8 bit, MLO;
 * even numbers are left breasts, odd right (each decided outline agrees: chest wall left on even, right
 * on odd). Their Patient Orientation, in written images, comes from this. Holdout keeps every fifth image apart.
 */
export function miasNormalImages(holdout: boolean, dataDir = REFERENCE_DATA_DIR): ReferenceTissueImage[] {
  const csv = join(dataDir, 'mini-mias-dev', 'annotations.csv');
  if (!existsSync(csv)) return [];
  const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
  const classes = new Map<string, Set<string>>();
  for (const [refnum, , abnClass] of rows) {
    if (!classes.has(refnum)) classes.set(refnum, new Set());
    classes.get(refnum)!.add(abnClass);
  }
  const normals = [...classes.entries()].filter(([, c]) => c.size === 1 && c.has('NORM')).map(([refnum]) => refnum).sort();
  return normals
    .filter((_, index) => (index % 5 === 0) === holdout)
    .map((refnum) => ({
      path: join(dataDir, 'mini-mias-dev', 'images', `${refnum}.png`),
      name: refnum,
      spacingMm: 0.2,
      laterality: Number(refnum.slice(3)) % 2 === 0 ? ('L' as const) : ('R' as const),
      view: 'MLO' as const,
      film: true,
      unlabelled: [],
    }))
    .filter((image) => existsSync(image.path));
}

/** The four FFDM sample views (about 0.1 mm, 16-bit); holdout uses R-MLO, training the other three. */
export function ffdmSampleImages(holdout: boolean, dataDir = REFERENCE_DATA_DIR): ReferenceTissueImage[] {
  const names = holdout ? ['0_R-MLO'] : ['0_L-CC', '0_L-MLO', '0_R-CC'];
  return names
    .map((name) => ({
      path: join(dataDir, 'ffdm-sample', `${name}.png`),
      name,
      spacingMm: 0.1,
      laterality: name.includes('_L-') ? ('L' as const) : ('R' as const),
      view: name.endsWith('CC') ? ('CC' as const) : ('MLO' as const),
      film: false,
      unlabelled: UNLABELLED_FFDM_FINDINGS[name] ?? [],
    }))
    .filter((image) => existsSync(image.path));
}
