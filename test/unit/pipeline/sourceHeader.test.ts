import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readSourceHeader } from '../../../src/pipeline/sourceHeader';

/** One explicit VR little endian element of a short-length VR, padded to an even length. */
function element(tag: number, vr: string, value: Buffer): Buffer {
  const padded = value.length % 2 ? Buffer.concat([value, Buffer.from(vr === 'UI' ? '\0' : ' ')]) : value;
  const head = Buffer.alloc(8);
  head.writeUInt16LE(tag >>> 16, 0);
  head.writeUInt16LE(tag & 0xffff, 2);
  head.write(vr, 4, 'latin1');
  head.writeUInt16LE(padded.length, 6);
  return Buffer.concat([head, padded]);
}

/** A Part 10 file (no pixel data) whose text elements hold exactly the given bytes. */
function part10(dataset: Buffer[]): Buffer {
  const metaElements = Buffer.concat([
    element(0x00020002, 'UI', Buffer.from('1.2.840.10008.5.1.4.1.1.1.2')),
    element(0x00020003, 'UI', Buffer.from('1.2.3.4.5')),
    element(0x00020010, 'UI', Buffer.from('1.2.840.10008.1.2.1')),
  ]);
  const groupLength = Buffer.alloc(12);
  groupLength.writeUInt16LE(0x0002, 0);
  groupLength.write('UL', 4, 'latin1');
  groupLength.writeUInt16LE(4, 6);
  groupLength.writeUInt32LE(metaElements.length, 8);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), groupLength, metaElements, ...dataset]);
}

const latin1 = (text: string) => Buffer.from(text.replace(/\\e/g, '\x1b'), 'latin1');

describe('source header text for the reports', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-source-header-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function headerOf(name: string, dataset: Buffer[]): Record<string, any> {
    const file = path.join(dir, `${name}.dcm`);
    fs.writeFileSync(file, part10(dataset));
    return readSourceHeader(file);
  }

  it('decodes names and descriptions under ISO 2022 code extensions (Korean, PS3.5 Annex I) to Unicode', () => {
    const h = headerOf('korean', [
      element(0x00080005, 'CS', latin1('\\ISO 2022 IR 149')),
      element(0x00080050, 'SH', latin1('A123')),
      element(0x00081030, 'LO', latin1('\\e$)C\xb8\xb6\xb8\xf0')),
      element(0x00100010, 'PN', latin1('Hong^Gildong=\\e$)C\xfb\xf3^\\e$)C\xd1\xce\xd4\xd7=\\e$)C\xc8\xab^\\e$)C\xb1\xe6\xb5\xbf')),
      element(0x00100020, 'LO', latin1('ID1')),
      element(0x0020000d, 'UI', latin1('1.2.3')),
    ]);
    expect(h.PatientName).toEqual([{ Alphabetic: 'Hong^Gildong', Ideographic: '洪^吉洞', Phonetic: '홍^길동' }]);
    expect(h.StudyDescription).toBe(new TextDecoder('euc-kr').decode(Uint8Array.from([0xb8, 0xb6, 0xb8, 0xf0])));
    expect([h.PatientID, h.AccessionNumber, h.StudyInstanceUID]).toEqual(['ID1', 'A123', '1.2.3']);
  });

  it('decodes a Japanese name whose kanji hold the bytes of "=" and "\\\\" (PS3.5 Annex H)', () => {
    const h = headerOf('japanese', [
      element(0x00080005, 'CS', latin1('\\ISO 2022 IR 87')),
      element(0x00100010, 'PN', latin1('Yamada^Tarou=\\e$B;3ED\\e(B^\\e$B=!0\\\\e(B')),
    ]);
    const kanji = new TextDecoder('euc-jp').decode(Uint8Array.from([0xbd, 0xa1, 0xb0, 0xdc]));
    expect(h.PatientName).toEqual([{ Alphabetic: 'Yamada^Tarou', Ideographic: `山田^${kanji}` }]);
  });

  it('leaves single character sets to dcmjs (Latin-1, UTF-8)', () => {
    const l = headerOf('latin1', [element(0x00080005, 'CS', latin1('ISO_IR 100')), element(0x00100010, 'PN', latin1('M\xfcller^J\xfcrgen'))]);
    expect(l.PatientName).toEqual([{ Alphabetic: 'Müller^Jürgen' }]);
    const u = headerOf('utf8', [element(0x00080005, 'CS', latin1('ISO_IR 192')), element(0x00100010, 'PN', Buffer.from('홍^길동', 'utf8'))]);
    expect(u.PatientName).toEqual([{ Alphabetic: '홍^길동' }]);
  });
});
