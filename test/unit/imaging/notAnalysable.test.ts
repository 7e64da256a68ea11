import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePixels, isNotAnalysable, prepareDecoded, prepareImage } from '../../../src/imaging';
import { syntheticBreastValues, writeSyntheticMammogram } from '../../helpers/imaging/syntheticMammogramFile';
import { syntheticDecodedImage } from '../../helpers/imaging/syntheticDecodedImage';
import { compressedCopy, ENCODERS } from '../../helpers/compressedFixtures';

const opts = { workingSpacingMm: 0.07, defaultSpacingMm: 0.1 };
const dcmjs = require('dcmjs');

/** Re-writes a file after editing its naturalized dataset (or its meta header). */
function rewrite(
  src: string,
  dst: string,
  edit: (ds: Record<string, any>, meta: Record<string, any>) => void,
): void {
  const b = readFileSync(src);
  const message = dcmjs.data.DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(message.dict);
  const meta = dcmjs.data.DicomMetaDictionary.naturalizeDataset(message.meta);
  edit(ds, meta);
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(ds);
  writeFileSync(dst, Buffer.from(dict.write()));
}

describe('not analysable inputs give a typed reason, never an exception', () => {
  let dir: string;
  let good: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mammocad-na-'));
    good = join(dir, 'good.dcm');
    writeSyntheticMammogram(good, {
      rows: 64,
      columns: 48,
      bitsAllocated: 16,
      bitsStored: 12,
      pixelSpacingMm: 0.1,
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prepares the unmodified file', async () => {
    const r = await prepareImage(good, opts);
    expect(r.ok).toBe(true);
  });

  it('unsupported transfer syntax', async () => {
    const f = join(dir, 'mpeg.dcm');
    rewrite(good, f, (_ds, meta) => {
      meta.TransferSyntaxUID = '1.2.840.10008.1.2.4.100';
    });
    const r = await prepareImage(f, opts);
    expect(r).toMatchObject({
      ok: false,
      header: { rows: 64, columns: 48, laterality: 'L' },
      reason: 'not analysable: unsupported transfer syntax 1.2.840.10008.1.2.4.100',
    });
  });

  it('truncated pixel data', async () => {
    const f = join(dir, 'short.dcm');
    rewrite(good, f, (ds) => {
      ds.PixelData = [new ArrayBuffer(64 * 48)];
    });
    const r = await prepareImage(f, opts);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^not analysable: pixel data cannot be decoded .*truncated/);
  });

  it('truncated file', async () => {
    const f = join(dir, 'cut.dcm');
    const bytes = readFileSync(good);
    writeFileSync(f, bytes.subarray(0, bytes.length - 1000));
    const r = await prepareImage(f, opts);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^not analysable: /);
  });

  it('inconsistent bit depths', async () => {
    const f = join(dir, 'bits.dcm');
    rewrite(good, f, (ds) => {
      ds.BitsStored = 14;
      ds.BitsAllocated = 8;
      ds.HighBit = 13;
    });
    // The header was read: it comes back with the reason, so the findings name the image.
    expect(await prepareImage(f, opts)).toMatchObject({
      ok: false,
      header: { rows: expect.any(Number), columns: expect.any(Number) },
      reason: 'not analysable: inconsistent bit depths: Bits Stored 14 > Bits Allocated 8',
    });
  });

  it('missing dimensions', async () => {
    const f = join(dir, 'nodims.dcm');
    rewrite(good, f, (ds) => {
      delete ds.Rows;
    });
    expect(await decodePixels(f)).toEqual({
      ok: false,
      reason: 'not analysable: missing image dimensions (Rows/Columns)',
    });
  });

  it('colour images and missing files', async () => {
    const f = join(dir, 'rgb.dcm');
    rewrite(good, f, (ds) => {
      ds.SamplesPerPixel = 3;
      ds.PhotometricInterpretation = 'RGB';
    });
    expect((await prepareImage(f, opts)).ok).toBe(false);
    const missing = await prepareImage(join(dir, 'nope.dcm'), opts);
    expect(!missing.ok && missing.reason).toMatch(/^not analysable: cannot read file/);
    expect(!missing.ok && missing.header).toBeUndefined();
  });

  it('an image larger than any detector or film scan is refused before a byte is decoded', async () => {
    for (const [rows, columns] of [
      [20000, 20000],
      [12001, 3000],
      [8000, 10001],
    ]) {
      const f = join(dir, `huge-${rows}x${columns}.dcm`);
      // The header claims the size; the file holds only the small image (it is never read).
      rewrite(good, f, (ds) => {
        ds.Rows = rows;
        ds.Columns = columns;
      });
      expect(await prepareImage(f, opts)).toMatchObject({
        ok: false,
        header: { rows, columns },
        reason: `not analysable: image too large (${rows}x${columns}): more than any mammography detector or film scan`,
      });
    }
  });

  it.each(['dcmcjpls', 'dcmcrle'])(
    'a compressed image (%s) whose own size differs from Rows/Columns is refused, not read sheared',
    async (tool) => {
      const compressed = await compressedCopy(
        ENCODERS.find((e) => e.tool === tool && e.options.length === 0)!,
        good,
      );
      expect((await prepareImage(compressed, opts)).ok).toBe(true);
      const narrower = join(dir, `narrower-${tool}.dcm`);
      rewrite(compressed, narrower, (ds) => {
        ds.Columns = 40; // the compressed image is 48 wide
      });
      const r = await prepareImage(narrower, opts);
      expect(!r.ok && r.reason).toMatch(/the compressed image does not match Rows\/Columns/);
    },
  );

  it('an implicit VR image whose pixel values hold the bytes of the Pixel Data tag is not taken for truncated', async () => {
    const base = { rows: 64, columns: 48, bitsAllocated: 8 as const, bitsStored: 8, pixelSpacingMm: 0.1 };
    const values = Array.from(syntheticBreastValues(base));
    // E0 7F 10 00 then a huge "length": what a byte search for (7FE0,0010) would take for a header.
    values.splice(1000, 8, 0xe0, 0x7f, 0x10, 0x00, 0x00, 0x00, 0x00, 0xc8);
    const f = join(dir, 'tag-in-pixels.dcm');
    writeSyntheticMammogram(f, { ...base, values, transferSyntaxUid: '1.2.840.10008.1.2' });
    expect(await prepareImage(f, opts)).toMatchObject({ ok: true });
  });

  it('placeholder-sized images', () => {
    const tiny = syntheticDecodedImage({ rows: 4, columns: 4 });
    expect(prepareDecoded(tiny.decoded, tiny.header, opts)).toEqual({
      ok: false,
      reason: 'not analysable: image too small (4x4)',
    });
  });

  it('an image with no breast, and a decoded size that contradicts the header', () => {
    const flat = syntheticDecodedImage({ rows: 50, columns: 40, tissue: 100, background: 100 });
    expect(prepareDecoded(flat.decoded, flat.header, opts)).toEqual({
      ok: false,
      reason: 'not analysable: no breast tissue found',
    });
    const r = prepareDecoded(flat.decoded, { ...flat.header, rows: 51 }, opts);
    expect(isNotAnalysable(r)).toBe(true);
  });
});
