/**
 * Breast masks on the real reference images: mini-MIAS (film, 8-bit, 200 µm, all MLO, odd = left)
 * and the FFDM sample (16-bit). Checks area fraction, that no background sits inside the mask, the
 * chest-wall side, and that every annotated mini-MIAS lesion centre lies inside the mask.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadPngImage, prepareDecoded, type PreparedImage } from '../../../src/imaging';

const data = resolve(__dirname, '../../../../shared/data');
const mias = join(data, 'mini-mias-dev');
const ffdm = join(data, 'ffdm-sample');
const haveMias = existsSync(join(mias, 'images'));
const haveFfdm = existsSync(ffdm);
if (!haveMias) console.warn(`skipping mini-MIAS mask tests: ${mias} not found`);
if (!haveFfdm) console.warn(`skipping FFDM mask tests: ${ffdm} not found`);

interface MaskStats {
  areaFraction: number;
  /** Share of mask pixels whose original value is at background level. */
  backgroundInside: number;
}

function maskStats(image: PreparedImage, original: ArrayLike<number>, backgroundAtMost: number): MaskStats {
  let inside = 0;
  let dark = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (!image.mask[y * image.width + x]) continue;
      inside++;
      // Same grid here (working spacing = original spacing); undo the flip to find the original pixel.
      const ox = image.flipped ? image.width - 1 - x : x;
      if (original[y * image.width + ox] <= backgroundAtMost) dark++;
    }
  }
  return { areaFraction: inside / image.mask.length, backgroundInside: dark / inside };
}

(haveMias ? describe : describe.skip)('mini-MIAS masks', () => {
  // Every 8th image (31 images), prepared at the native 0.2 mm so the grid is unchanged.
  const files = haveMias
    ? readdirSync(join(mias, 'images'))
        .filter((f) => f.endsWith('.png'))
        .sort()
        .filter((_, i) => i % 8 === 0)
    : [];
  const results = new Map<string, { image: PreparedImage; stats: MaskStats; left: boolean }>();

  beforeAll(() => {
    for (const f of files) {
      const { decoded, header } = loadPngImage(join(mias, 'images', f), { spacingMm: 0.2 });
      const r = prepareDecoded(decoded, header, { workingSpacingMm: 0.2, defaultSpacingMm: 0.2 });
      if (!r.ok) throw new Error(`${f}: ${r.reason}`);
      const left = Number(f.slice(3, 6)) % 2 === 1;
      results.set(f, { image: r.image, stats: maskStats(r.image, decoded.pixels, 12), left });
    }
  }, 120_000);

  it('breast area fraction within 10-95% and almost no background inside', () => {
    for (const [f, { stats }] of results) {
      expect([f, stats.areaFraction > 0.1 && stats.areaFraction < 0.95]).toEqual([f, true]);
      expect([f, stats.backgroundInside < 0.02]).toEqual([f, true]);
    }
  });

  it('puts the chest wall on the left: mini-MIAS left breasts (odd numbers, stored facing left) are mirrored', () => {
    let correct = 0;
    for (const { image, left } of results.values()) if (image.flipped === left) correct++;
    expect(correct / results.size).toBeGreaterThanOrEqual(0.95);
  });

  it('every annotated calcification cluster centre on tissue lies inside the mask', () => {
    const lines = readFileSync(join(mias, 'annotations.csv'), 'utf8').trim().split('\n').slice(1);
    let checked = 0;
    const offTissue: string[] = [];
    const prepared = new Map<
      string,
      { image: PreparedImage; original: ArrayLike<number>; columns: number }
    >();
    for (const line of lines) {
      const [ref, , abnClass, , x, , , row] = line.split(',');
      if (abnClass !== 'CALC' || !x || !row) continue;
      let entry = prepared.get(ref);
      if (!entry) {
        const { decoded, header } = loadPngImage(join(mias, 'images', `${ref}.png`), { spacingMm: 0.2 });
        const r = prepareDecoded(decoded, header, { workingSpacingMm: 0.2, defaultSpacingMm: 0.2 });
        if (!r.ok) throw new Error(r.reason);
        entry = { image: r.image, original: decoded.pixels, columns: decoded.columns };
        prepared.set(ref, entry);
      }
      // Two annotations (mdb212, mdb214) point at empty background (raw value ≤ 12): data errors.
      if (entry.original[Number(row) * entry.columns + Number(x)] <= 12) {
        offTissue.push(ref);
        continue;
      }
      const p = entry.image.transform.toWorking({ x: Number(x) + 0.5, y: Number(row) + 0.5 });
      expect([ref, entry.image.mask[Math.floor(p.y) * entry.image.width + Math.floor(p.x)]]).toEqual([
        ref,
        1,
      ]);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(offTissue.length).toBeLessThanOrEqual(2);
  }, 120_000);
});

(haveFfdm ? describe : describe.skip)('FFDM sample masks', () => {
  it.each(['0_L-CC', '0_L-MLO', '0_R-CC', '0_R-MLO'])('%s', (name) => {
    const { decoded, header } = loadPngImage(join(ffdm, `${name}.png`), { spacingMm: 0.1 });
    const r = prepareDecoded(decoded, header, { workingSpacingMm: 0.1, defaultSpacingMm: 0.1 });
    if (!r.ok) throw new Error(r.reason);
    const stats = maskStats(r.image, decoded.pixels, 0);
    expect(stats.areaFraction).toBeGreaterThan(0.3);
    expect(stats.areaFraction).toBeLessThan(0.95);
    expect(stats.backgroundInside).toBeLessThan(0.01);
    // FFDM convention: left breast stored with the chest wall on the left.
    expect(r.image.flipped).toBe(name.includes('_R-'));
  });
});
