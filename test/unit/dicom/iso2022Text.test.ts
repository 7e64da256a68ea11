import { decodeIso2022Text, usesCodeExtensions } from '../../../src/dicom/iso2022Text';

/** Bytes from text where "\e" stands for ESC and \xNN for a byte. */
const bytes = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\\e/g, '\x1b'), 'latin1'));

describe('ISO 2022 text (PS3.5 Annexes H-K)', () => {
  it('decodes a Japanese name in JIS X 0208, back to ASCII before each delimiter (H.3.1)', () => {
    const pn = bytes('Yamada^Tarou=\\e$B;3ED\\e(B^\\e$BB@O:\\e(B=\\e$B$d$^$@\\e(B^\\e$B$?$m$&\\e(B');
    expect(decodeIso2022Text(pn, ['', 'ISO 2022 IR 87'], 'PN')).toBe('Yamada^Tarou=山田^太郎=やまだ^たろう');
  });

  it('decodes half-width katakana in G1 beside JIS X 0208, with JIS X 0201 Romaji in G0 (H.3.2)', () => {
    const pn = bytes('\xd4\xcf\xc0\xde^\xc0\xdb\xb3=\\e$B;3ED\\e(J^\\e$BB@O:\\e(J=\\e$B$d$^$@\\e(J^\\e$B$?$m$&\\e(J');
    expect(decodeIso2022Text(pn, ['ISO 2022 IR 13', 'ISO 2022 IR 87'], 'PN')).toBe('ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう');
  });

  it('decodes a Korean name in KS X 1001 (Annex I)', () => {
    const pn = bytes('Hong^Gildong=\\e$)C\xfb\xf3^\\e$)C\xd1\xce\xd4\xd7=\\e$)C\xc8\xab^\\e$)C\xb1\xe6\xb5\xbf');
    expect(decodeIso2022Text(pn, ['', 'ISO 2022 IR 149'], 'PN')).toBe('Hong^Gildong=洪^吉洞=홍^길동');
  });

  it('decodes a Chinese name in GB 2312 (Annex K)', () => {
    const pn = bytes('Wang^XiaoDong=\\e$)A\xcd\xf5^\\e$)A\xd0\xa1\xb6\xab=');
    expect(decodeIso2022Text(pn, ['', 'ISO 2022 IR 58'], 'PN')).toBe('Wang^XiaoDong=王^小东=');
  });

  it('reads Latin-1 as the G1 of ISO 2022 IR 100, and a byte without a designated set as Latin-1', () => {
    expect(decodeIso2022Text(bytes('M\xfcller^J\xfcrgen'), ['ISO 2022 IR 100'], 'PN')).toBe('Müller^Jürgen');
    expect(decodeIso2022Text(bytes('Gr\xfcn'), ['', 'ISO 2022 IR 87'], 'LO')).toBe('Grün');
  });

  it('keeps a delimiter byte that is half of a two-byte character (a byte 0x3D or 0x5C inside JIS X 0208)', () => {
    // JIS X 0208 row 0x3D and the pair 0x30 0x5C are kanji; only after ESC ( B is "=" a delimiter.
    const pn = bytes('\\e$B=!0\\\\e(B=x');
    expect(decodeIso2022Text(pn, ['', 'ISO 2022 IR 87'], 'PN')).toBe(`${new TextDecoder('euc-jp').decode(Uint8Array.from([0xbd, 0xa1, 0xb0, 0xdc]))}=x`);
  });

  it('tells which character sets use code extensions', () => {
    expect(usesCodeExtensions(['', 'ISO 2022 IR 87'])).toBe(true);
    expect(usesCodeExtensions(['ISO 2022 IR 100'])).toBe(true);
    expect(usesCodeExtensions(['ISO_IR 100'])).toBe(false);
    expect(usesCodeExtensions(['ISO_IR 192'])).toBe(false);
  });
});
