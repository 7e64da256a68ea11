import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DatasetStructureWalker } from '../../../src/dicom/datasetStructureWalker';
import { parseFileMeta } from '../../../src/dicom/part10HeaderReader';
import { IMPLICIT_VR_LE, writeMgFixture } from '../../helpers/mgFixture';

const SAMPLES = path.resolve(__dirname, '../../../../shared/data/dicom-samples');

function datasetOf(file: string): { dataset: Buffer; explicit: boolean } {
  const bytes = fs.readFileSync(file);
  const meta = parseFileMeta(bytes)!;
  return { dataset: bytes.subarray(meta.datasetOffset), explicit: meta.transferSyntaxUid !== IMPLICIT_VR_LE };
}

function walk(dataset: Buffer, explicit: boolean, chunk = 4093): string | undefined {
  const walker = new DatasetStructureWalker(explicit);
  for (let i = 0; i < dataset.length; i += chunk) walker.push(dataset.subarray(i, i + chunk));
  return walker.finish();
}

const u16 = (n: number) => Buffer.from([n & 0xff, n >> 8]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
};
const tag = (group: number, element: number) => Buffer.concat([u16(group), u16(element)]);
const UNDEFINED = 0xffffffff;

describe('dataset structure walker', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-walk-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('follows whole images to their end in any chunking, explicit and implicit VR', () => {
    for (const transferSyntaxUid of [undefined, IMPLICIT_VR_LE]) {
      const { dataset, explicit } = datasetOf(writeMgFixture(dir, { transferSyntaxUid }).file);
      for (const size of [1, 11, 4096, dataset.length]) expect(walk(dataset, explicit, size)).toBeUndefined();
    }
  });

  it('tells a data set cut inside its pixel data or inside an element header', () => {
    const { dataset, explicit } = datasetOf(writeMgFixture(dir).file);
    for (const cut of [1, 2, 5000, dataset.length - 200]) {
      expect(walk(dataset.subarray(0, dataset.length - cut), explicit)).toBe(
        'dataset ends inside an element',
      );
    }
  });

  it('walks sequences and items of undefined length, VR UN ones as implicit VR, and needs their delimiters', () => {
    // (0040,0260) SQ u/l { item u/l { (0008,0100) SH "AB" } } then (0040,0275) UN u/l { item u/l { implicit (0008,0100) "CD" } }
    const sq = Buffer.concat([
      tag(0x0040, 0x0260),
      Buffer.from('SQ'),
      u16(0),
      u32(UNDEFINED),
      tag(0xfffe, 0xe000),
      u32(UNDEFINED),
      tag(0x0008, 0x0100),
      Buffer.from('SH'),
      u16(2),
      Buffer.from('AB'),
      tag(0xfffe, 0xe00d),
      u32(0),
      tag(0xfffe, 0xe0dd),
      u32(0),
    ]);
    const un = Buffer.concat([
      tag(0x0040, 0x0275),
      Buffer.from('UN'),
      u16(0),
      u32(UNDEFINED),
      tag(0xfffe, 0xe000),
      u32(UNDEFINED),
      tag(0x0008, 0x0100),
      u32(2),
      Buffer.from('CD'),
      tag(0xfffe, 0xe00d),
      u32(0),
      tag(0xfffe, 0xe0dd),
      u32(0),
    ]);
    const whole = Buffer.concat([sq, un]);
    for (const size of [1, 3, whole.length]) expect(walk(whole, true, size)).toBeUndefined();
    expect(walk(whole.subarray(0, whole.length - 8), true)).toBe('dataset ends inside an element');
    const notAnItem = Buffer.concat([
      tag(0x0040, 0x0260),
      Buffer.from('SQ'),
      u16(0),
      u32(UNDEFINED),
      tag(0x0008, 0x0100),
      u32(0),
    ]);
    expect(walk(notAnItem, true)).toMatch(/expected an item/);
  });

  it('walks the encapsulated pixel data of the compressed samples to their end, and tells one cut in a fragment', () => {
    if (!fs.existsSync(SAMPLES)) {
      console.warn(`skipped: ${SAMPLES} is absent`);
      return;
    }
    for (const name of ['MG1_J2KI.dcm', 'MG1_JPLY.dcm']) {
      const { dataset, explicit } = datasetOf(path.join(SAMPLES, name));
      expect(walk(dataset, explicit, 65536)).toBeUndefined();
      expect(walk(dataset.subarray(0, dataset.length - 100000), explicit, 65536)).toBe(
        'dataset ends inside an element',
      );
    }
  });
});
