import { prepareDecoded } from '../../../src/imaging';
import { findImplantRegion } from '../../../src/imaging/mask/implantRegion';
import { syntheticDecodedImage } from '../../helpers/imaging/syntheticDecodedImage';

const W = 400;
const H = 600;
const SPACING = 0.07;
/** Inside a half-ellipse against the left edge (the chest wall) centred on the middle row. */
const inHalfEllipse = (x: number, y: number, rx: number, ry: number) => (x / rx) ** 2 + ((y - H / 2) / ry) ** 2 < 1;
const implantAt = (x: number, y: number) => inHalfEllipse(x, y, 150, 160);

/** A calibrated working image: textured tissue, a fatty rim toward the skin, air, a few bright specks, and optionally a flat implant. */
function workingImage(withImplant: boolean): Float32Array {
  const pixels = new Float32Array(W * H);
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296 - 0.5) * 20;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let v = 0;
      if (inHalfEllipse(x, y, 300, 270)) v = inHalfEllipse(x, y, 250, 230) ? 100 + 20 * Math.sin(x / 9) * Math.cos(y / 13) + noise() : 60 + noise();
      if (withImplant && implantAt(x, y)) v = 200 + noise() / 10;
      pixels[y * W + x] = v;
    }
  for (const [sx, sy] of [[200, 100], [220, 420], [120, 520], [260, 300], [60, 80]])
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) pixels[(sy + dy) * W + sx + dx] = 250;
  return pixels;
}

describe('findImplantRegion', () => {
  it('finds a flat implant against the chest wall, grown by about 1 mm, and nothing on tissue without one', () => {
    const region = findImplantRegion(workingImage(true), W, H, SPACING)!;
    expect(region).toBeDefined();
    let inside = 0;
    let implant = 0;
    let farOutside = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        if (implantAt(x, y)) {
          implant++;
          inside += region[y * W + x];
        } else if (region[y * W + x] && !inHalfEllipse(x, y, 150 + 30, 160 + 30)) farOutside++;
      }
    expect(inside / implant).toBeGreaterThan(0.99);
    // Grown by 1 mm (15 px) plus at most a cell (2 px): nothing 30 px beyond the implant.
    expect(farOutside).toBe(0);
    expect(findImplantRegion(workingImage(false), W, H, SPACING)).toBeUndefined();
  });
});

describe('prepareDecoded with Breast Implant Present', () => {
  /** The synthetic breast with a flat, brighter implant against its chest wall (left). */
  function withImplant(breastImplantPresent: boolean) {
    const { decoded, header } = syntheticDecodedImage({ rows: 400, columns: 300, spacingMm: 0.1, chestWall: 'left', laterality: 'L', patientOrientation: ['A', 'R'] });
    for (let y = 0; y < 400; y++) for (let x = 0; x < 300; x++) if ((x / 90) ** 2 + ((y - 200) / 100) ** 2 < 1) decoded.pixels[y * 300 + x] = 3900;
    return prepareDecoded(decoded, { ...header, breastImplantPresent }, { workingSpacingMm: 0.07, defaultSpacingMm: 0.1 });
  }

  it('leaves the implant out of the breast mask only for an image that says it holds one', () => {
    const flagged = withImplant(true);
    const plain = withImplant(false);
    if (!flagged.ok || !plain.ok) throw new Error('not prepared');
    const implantCentre = (image: typeof flagged.image) => image.mask[Math.round(image.height / 2) * image.width + 20];
    const tissue = (image: typeof flagged.image) => image.mask[Math.round(image.height / 2) * image.width + Math.round(image.width * 0.6)];
    expect([implantCentre(flagged.image), tissue(flagged.image)]).toEqual([0, 1]);
    expect([implantCentre(plain.image), tissue(plain.image)]).toEqual([1, 1]);
  });
});
