import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { loadPngImage } from '../../../src/imaging';

describe('loadPngImage', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mammocad-png-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function writeGrey(path: string, bitDepth: 8 | 16, values: number[], width: number): void {
    const png = new PNG({
      width,
      height: values.length / width,
      colorType: 0,
      inputColorType: 0,
      bitDepth,
      inputHasAlpha: false,
    });
    const bytes = bitDepth === 16 ? Buffer.alloc(values.length * 2) : Buffer.from(values);
    // pngjs takes 16-bit input samples in host (little-endian) order and writes them big-endian.
    if (bitDepth === 16) values.forEach((v, i) => bytes.writeUInt16LE(v, 2 * i));
    png.data = bytes;
    writeFileSync(
      path,
      PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth, inputHasAlpha: false }),
    );
  }

  it('reads 8-bit greyscale as Uint8Array stored values with a presentation header', () => {
    const f = join(dir, 'g8.png');
    writeGrey(f, 8, [0, 1, 128, 255, 7, 9], 3);
    const { decoded, header } = loadPngImage(f, { spacingMm: 0.2, laterality: 'L', viewCode: 'MLO' });
    expect(decoded.pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(decoded.pixels)).toEqual([0, 1, 128, 255, 7, 9]);
    expect([decoded.rows, decoded.columns, decoded.bitsStored, decoded.signed]).toEqual([2, 3, 8, false]);
    expect(header).toMatchObject({
      rows: 2,
      columns: 3,
      photometricInterpretation: 'MONOCHROME2',
      pixelSpacing: [0.2, 0.2],
      laterality: 'L',
      viewCode: 'MLO',
    });
  });

  it('reads 16-bit greyscale without rescaling', () => {
    const f = join(dir, 'g16.png');
    writeGrey(f, 16, [0, 4095, 65535, 300], 2);
    const { decoded } = loadPngImage(f, { spacingMm: 0.1 });
    expect(decoded.pixels).toBeInstanceOf(Uint16Array);
    expect(Array.from(decoded.pixels)).toEqual([0, 4095, 65535, 300]);
    expect(decoded.bitsStored).toBe(16);
  });
});
