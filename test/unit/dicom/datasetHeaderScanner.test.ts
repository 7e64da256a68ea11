import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DatasetHeaderScanner, scanDatasetHeader } from '../../../src/dicom/datasetHeaderScanner';
import { parseFileMeta, readPart10Header } from '../../../src/dicom/part10HeaderReader';
import { IMPLICIT_VR_LE, writeMgFixture } from '../../helpers/mgFixture';

const SAMPLES = path.resolve(__dirname, '../../../../shared/data/dicom-samples');

function datasetOf(file: string): { dataset: Buffer; explicit: boolean } {
  const bytes = fs.readFileSync(file);
  const meta = parseFileMeta(bytes)!;
  return { dataset: bytes.subarray(meta.datasetOffset), explicit: meta.transferSyntaxUid !== IMPLICIT_VR_LE };
}

/** Little endian element helpers to build sequences by hand. */
function tag(group: number, element: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16LE(group, 0);
  b.writeUInt16LE(element, 2);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
}
function shortExplicit(group: number, element: number, vr: string, value: string): Buffer {
  const v = Buffer.from(value.length % 2 ? value + '\0' : value, 'latin1');
  const len = Buffer.alloc(2);
  len.writeUInt16LE(v.length, 0);
  return Buffer.concat([tag(group, element), Buffer.from(vr), len, v]);
}
function implicitElement(group: number, element: number, value: Buffer): Buffer {
  return Buffer.concat([tag(group, element), u32(value.length), value]);
}

describe('dataset header scanner', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-scan-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads UIDs, image type, modality, view, laterality and Quality Control Image from an explicit VR dataset, in any chunking', () => {
    const fx = writeMgFixture(dir, { laterality: 'R', viewPosition: 'MLO', imageType: ['DERIVED', 'PRIMARY', 'TOMOSYNTHESIS', 'GENERATED_2D'], qualityControlImage: 'YES' });
    const { dataset, explicit } = datasetOf(fx.file);
    const expected = {
      imageType: 'DERIVED\\PRIMARY\\TOMOSYNTHESIS\\GENERATED_2D',
      sopClassUid: fx.sopClassUid,
      sopInstanceUid: fx.sopInstanceUid,
      studyUid: fx.studyUid,
      seriesUid: fx.seriesUid,
      modality: 'MG',
      viewPosition: 'MLO',
      imageLaterality: 'R',
      qualityControlImage: 'YES',
    };
    expect(scanDatasetHeader(dataset, explicit)).toEqual({ header: expected });
    for (const size of [1, 7, 64, 4096]) {
      const scanner = new DatasetHeaderScanner(explicit);
      for (let i = 0; i < dataset.length && !scanner.complete; i += size)
        scanner.push(dataset.subarray(i, i + size));
      expect(scanner.complete).toBe(true);
      expect(scanner.finish()).toEqual({ header: expected });
    }
  });

  it('reads an implicit VR dataset', () => {
    const fx = writeMgFixture(dir, { transferSyntaxUid: IMPLICIT_VR_LE });
    const { dataset, explicit } = datasetOf(fx.file);
    expect(explicit).toBe(false);
    expect(scanDatasetHeader(dataset, false).header).toMatchObject({
      studyUid: fx.studyUid,
      seriesUid: fx.seriesUid,
    });
  });

  it('skips nested sequences of undefined length and a private VR UN one (read as implicit VR)', () => {
    const innerItem = Buffer.concat([
      tag(0xfffe, 0xe000),
      u32(0xffffffff),
      shortExplicit(0x0008, 0x0100, 'SH', 'CODE'),
      tag(0xfffe, 0xe00d),
      u32(0),
    ]);
    const explicitSequence = Buffer.concat([
      tag(0x0008, 0x1032),
      Buffer.from('SQ'),
      Buffer.alloc(2),
      u32(0xffffffff),
      innerItem,
      tag(0xfffe, 0xe0dd),
      u32(0),
    ]);
    // A private sequence sent as UN with undefined length: its items hold implicit VR elements,
    // one of them a nested sequence of undefined length.
    const nested = Buffer.concat([
      tag(0x0019, 0x1002),
      u32(0xffffffff),
      tag(0xfffe, 0xe000),
      u32(12),
      implicitElement(0x0019, 0x1003, Buffer.from('ABCD')),
      tag(0xfffe, 0xe0dd),
      u32(0),
    ]);
    const unItem = Buffer.concat([
      tag(0xfffe, 0xe000),
      u32(0xffffffff),
      implicitElement(0x0019, 0x1001, Buffer.from('XY')),
      nested,
      tag(0xfffe, 0xe00d),
      u32(0),
    ]);
    const unSequence = Buffer.concat([
      tag(0x0019, 0x1000),
      Buffer.from('UN'),
      Buffer.alloc(2),
      u32(0xffffffff),
      unItem,
      tag(0xfffe, 0xe0dd),
      u32(0),
    ]);
    const dataset = Buffer.concat([
      shortExplicit(0x0008, 0x0016, 'UI', '1.2.840.10008.5.1.4.1.1.1.2'),
      shortExplicit(0x0008, 0x0018, 'UI', '1.2.3.4'),
      explicitSequence,
      unSequence,
      shortExplicit(0x0020, 0x000d, 'UI', '1.2.3'),
      shortExplicit(0x0020, 0x000e, 'UI', '1.2.3.5'),
      shortExplicit(0x0028, 0x0010, 'US', 'ab'),
    ]);
    for (const size of [1, 5, dataset.length]) {
      const scanner = new DatasetHeaderScanner(true);
      for (let i = 0; i < dataset.length; i += size) scanner.push(dataset.subarray(i, i + size));
      expect(scanner.finish()).toEqual({
        header: {
          sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2',
          sopInstanceUid: '1.2.3.4',
          studyUid: '1.2.3',
          seriesUid: '1.2.3.5',
        },
      });
    }
  });

  it('reads past a long undefined-length sequence arriving in small chunks (walked again only as it doubles)', () => {
    const items = Buffer.concat(Array.from({ length: 262144 }, () => Buffer.concat([tag(0xfffe, 0xe000), u32(0)])));
    const dataset = Buffer.concat([
      shortExplicit(0x0008, 0x0018, 'UI', '1.2.3.4'),
      tag(0x0008, 0x1115), Buffer.from('SQ'), Buffer.alloc(2), u32(0xffffffff), items, tag(0xfffe, 0xe0dd), u32(0),
      shortExplicit(0x0020, 0x000d, 'UI', '1.2.3'),
      shortExplicit(0x0020, 0x0062, 'CS', 'L'),
      shortExplicit(0x0028, 0x0010, 'US', 'ab'),
    ]);
    const scanner = new DatasetHeaderScanner(true);
    for (let i = 0; i < dataset.length && !scanner.complete; i += 16000) scanner.push(dataset.subarray(i, i + 16000));
    expect(scanner.finish()).toEqual({ header: { sopInstanceUid: '1.2.3.4', studyUid: '1.2.3', imageLaterality: 'L' } });
  });

  it('reads past an Image Type longer than any real one, leaving it unread, where a long UID is an error', () => {
    const longImageType = shortExplicit(0x0008, 0x0008, 'CS', ['ORIGINAL', 'PRIMARY', ...Array(30).fill('VENDOR_TERM')].join('\\'));
    const dataset = Buffer.concat([longImageType, shortExplicit(0x0008, 0x0018, 'UI', '1.2.3.4'), shortExplicit(0x0020, 0x000d, 'UI', '1.2.3'), shortExplicit(0x0028, 0x0010, 'US', 'ab')]);
    expect(scanDatasetHeader(dataset, true)).toEqual({ header: { sopInstanceUid: '1.2.3.4', studyUid: '1.2.3' } });
  });

  it('reports a dataset cut inside an element, and garbage, as errors instead of throwing', () => {
    const fx = writeMgFixture(dir);
    const { dataset } = datasetOf(fx.file);
    expect(scanDatasetHeader(dataset.subarray(0, 50), true).error).toMatch(/ends inside/);
    expect(scanDatasetHeader(Buffer.from('\x08\x00\x16\x00\x01\x02garbagegarbage'), true).error).toMatch(
      /not a VR/,
    );
    const bigLength = Buffer.concat([tag(0x0008, 0x0016), Buffer.from('UI'), Buffer.from([0xff, 0x7f])]);
    expect(scanDatasetHeader(Buffer.concat([bigLength, Buffer.alloc(40000)]), true).error).toMatch(
      /too long/,
    );
  });

  it('reads every sample file, the Hologic one with its VR UN sequence included', async () => {
    if (!fs.existsSync(SAMPLES)) {
      console.warn(`skipped: ${SAMPLES} is absent`);
      return;
    }
    const files = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.dcm'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const read = await readPart10Header(path.join(SAMPLES, f));
      expect(read.header.studyUid).toMatch(/^[0-9.]+$/);
      expect(read.header.seriesUid).toMatch(/^[0-9.]+$/);
      expect(read.header.sopInstanceUid).toMatch(/^[0-9.]+$/);
    }
  });
});
