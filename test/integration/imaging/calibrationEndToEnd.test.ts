/**
 * The same toy breast stored four ways (MONOCHROME2, MONOCHROME1, signed with a rescale, and For
 * Processing raw dose): after prepareImage the speck is bright, the breast is found and the chest
 * wall is on the left in every case.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareImage, type PreparedImage } from '../../../src/imaging';
import {
  writeSyntheticMammogram,
  type SyntheticMammogramOptions,
} from '../../helpers/imaging/syntheticMammogramFile';

const rows = 160;
const columns = 120;
const speck = { x: 30, y: 80 };

/** Attenuation-like picture in 0..1: breast 0.5 on the right (chest wall right), speck 0.9, air 0.05. */
function attenuation(): Float64Array {
  const a = new Float64Array(rows * columns);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      const d = ((columns - x) / (columns * 0.75)) ** 2 + ((y - rows / 2) / (rows * 0.45)) ** 2;
      a[y * columns + x] = d < 1 ? 0.5 + 0.02 * Math.sin(x + y) : 0.05;
    }
  }
  const xs = columns - 1 - speck.x; // stored mirrored: chest wall on the right
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) a[(speck.y + dy) * columns + xs + dx] = 0.9;
  return a;
}

function speckScore(image: PreparedImage): number {
  const p = image.transform.toWorking({ x: columns - 1 - speck.x + 0.5, y: speck.y + 0.5 });
  return image.pixels[Math.floor(p.y) * image.width + Math.floor(p.x)];
}

describe('calibration end to end', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mammocad-calib-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const a = attenuation();
  const base = { rows, columns, bitsAllocated: 16 as const, pixelSpacingMm: 0.07, laterality: 'R' as const };
  const variants: [string, SyntheticMammogramOptions][] = [
    ['MONOCHROME2', { ...base, bitsStored: 12, values: Array.from(a, (v) => Math.round(v * 4095)) }],
    [
      'MONOCHROME1',
      {
        ...base,
        bitsStored: 12,
        photometricInterpretation: 'MONOCHROME1',
        values: Array.from(a, (v) => Math.round((1 - v) * 4095)),
      },
    ],
    [
      'signed with rescale',
      {
        ...base,
        bitsStored: 16,
        signed: true,
        rescaleSlope: 0.5,
        rescaleIntercept: 100,
        values: Array.from(a, (v) => Math.round(v * 60000 - 30000)),
      },
    ],
    [
      'For Processing raw dose (MONOCHROME1)',
      {
        ...base,
        bitsStored: 14,
        presentationIntentType: 'FOR PROCESSING',
        photometricInterpretation: 'MONOCHROME1',
        // Dose falls exponentially with attenuation (Beer-Lambert).
        values: Array.from(a, (v) => Math.round(16000 * Math.exp(-4 * v))),
      },
    ],
  ];

  it.each(variants)('%s', async (name, opts) => {
    const file = join(dir, `${name.replace(/\W+/g, '_')}.dcm`);
    writeSyntheticMammogram(file, opts);
    const r = await prepareImage(file, { workingSpacingMm: 0.07, defaultSpacingMm: 0.1 });
    if (!r.ok) throw new Error(r.reason);
    const image = r.image;
    expect(image.flipped).toBe(true);
    expect(image.spacingSource).toBe('pixelSpacing');
    // Breast median 0, speck well above the tissue spread.
    expect(speckScore(image)).toBeGreaterThan(3);
    let breast = 0;
    for (const m of image.mask) breast += m;
    expect(breast / image.mask.length).toBeGreaterThan(0.3);
    expect(breast / image.mask.length).toBeLessThan(0.8);
  });
});
