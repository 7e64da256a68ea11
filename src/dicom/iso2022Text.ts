import { TextDecoder } from 'util';

/**
 * Text under a Specific Character Set with ISO 2022 code extensions (PS3.5 6.1.2.5; the examples of
 * PS3.5 Annexes H-K): escape sequences switch G0 between ASCII, JIS X 0201 Romaji and the two-byte
 * Japanese sets, and G1 between JIS X 0201 Katakana, KS X 1001 (Korean), GB 2312 (Chinese) and the
 * ISO 8859 upper halves. dcmjs decodes one character set only (the first value) and leaves the escape
 * sequences in the text, so a Japanese, Korean or Chinese name would reach our UTF-8 objects garbled.
 */

type G0 = 'ascii' | 'jisRoman' | 'jisX0208' | 'jisX0212';
/** A single-byte upper half (a TextDecoder label), JIS X 0201 Katakana, or a two-byte set in G1. */
type G1 = { kind: 'none' } | { kind: 'single'; label: string } | { kind: 'katakana' } | { kind: 'double'; label: string };

interface CodeState {
  g0: G0;
  g1: G1;
}

const NONE: G1 = { kind: 'none' };
const single = (label: string): G1 => ({ kind: 'single', label });
const KATAKANA: G1 = { kind: 'katakana' };
const KOREAN: G1 = { kind: 'double', label: 'euc-kr' };
const CHINESE: G1 = { kind: 'double', label: 'gbk' };

/** PS3.3 Tables C.12-3 and C.12-4: each set's ISO-IR number, its escape sequence (after ESC), what it designates. */
const CHARACTER_SETS: ReadonlyArray<[ir: number, escape: string, sets: Partial<CodeState>]> = [
  [6, '(B', { g0: 'ascii' }],
  [14, '(J', { g0: 'jisRoman' }],
  [13, ')I', { g1: KATAKANA }],
  [87, '$B', { g0: 'jisX0208' }],
  [159, '$(D', { g0: 'jisX0212' }],
  [149, '$)C', { g1: KOREAN }],
  [58, '$)A', { g1: CHINESE }],
  [100, '-A', { g1: single('iso-8859-1') }],
  [101, '-B', { g1: single('iso-8859-2') }],
  [109, '-C', { g1: single('iso-8859-3') }],
  [110, '-D', { g1: single('iso-8859-4') }],
  [144, '-L', { g1: single('iso-8859-5') }],
  [127, '-G', { g1: single('iso-8859-6') }],
  [126, '-F', { g1: single('iso-8859-7') }],
  [138, '-H', { g1: single('iso-8859-8') }],
  [148, '-M', { g1: single('iso-8859-9') }],
  [166, '-T', { g1: single('windows-874') }],
];

/**
 * The state each value starts in, by the first value of Specific Character Set: its G1 set, if it
 * has one, and ASCII in G0, but JIS X 0201 Romaji with ISO 2022 IR 13 (JIS X 0201's two halves).
 */
function initialState(firstTerm: string): CodeState {
  const ir = Number(/^ISO 2022 IR (\d+)$/.exec(firstTerm.trim())?.[1]);
  const g1 = CHARACTER_SETS.find(([number]) => number === ir)?.[2].g1 ?? NONE;
  return { g0: ir === 13 ? 'jisRoman' : 'ascii', g1 };
}

/** Whether a Specific Character Set uses code extensions, which dcmjs does not follow. */
export function usesCodeExtensions(specificCharacterSet: readonly string[]): boolean {
  return specificCharacterSet.some((v) => v.trim().startsWith('ISO 2022'));
}

const decoders = new Map<string, TextDecoder>();
function decoder(label: string): TextDecoder {
  let d = decoders.get(label);
  if (!d) decoders.set(label, (d = new TextDecoder(label)));
  return d;
}

/**
 * Decodes one element's value bytes (all its values, with their backslashes) to Unicode. The code
 * state returns to the initial one at each delimiter: for PN also at "^" and "=" (PS3.5 6.1.2.5.3).
 */
export function decodeIso2022Text(bytes: Uint8Array, specificCharacterSet: readonly string[], vr: string): string {
  const initial = initialState(specificCharacterSet[0] ?? '');
  const delimiters = vr === 'PN' ? [0x5c, 0x3d, 0x5e] : [0x5c, 0x0d, 0x0a, 0x0c, 0x09];
  let { g0, g1 } = initial;
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b === 0x1b) {
      const escape = CHARACTER_SETS.find(([, seq]) => seq.split('').every((c, k) => bytes[i + 1 + k] === c.charCodeAt(0)));
      if (escape) {
        g0 = escape[2].g0 ?? g0;
        g1 = escape[2].g1 ?? g1;
        i += 1 + escape[1].length;
      } else {
        out += '\ufffd'; // an escape sequence DICOM does not define
        i += 1;
      }
      continue;
    }
    if (b < 0x80) {
      if ((g0 === 'jisX0208' || g0 === 'jisX0212') && b >= 0x21 && b <= 0x7e && i + 1 < bytes.length) {
        // EUC-JP is JIS X 0208 with the high bits set, and JIS X 0212 behind 0x8F.
        const pair = [b | 0x80, bytes[i + 1] | 0x80];
        out += decoder('euc-jp').decode(Uint8Array.from(g0 === 'jisX0212' ? [0x8f, ...pair] : pair));
        i += 2;
        continue;
      }
      out += g0 === 'jisRoman' && b === 0x5c ? '\u00a5' : g0 === 'jisRoman' && b === 0x7e ? '\u203e' : String.fromCharCode(b);
      if (delimiters.includes(b)) ({ g0, g1 } = initial);
      i += 1;
      continue;
    }
    if (g1.kind === 'double' && i + 1 < bytes.length) {
      out += decoder(g1.label).decode(bytes.subarray(i, i + 2));
      i += 2;
    } else if (g1.kind === 'katakana' && b >= 0xa1 && b <= 0xdf) {
      out += String.fromCharCode(0xff61 + b - 0xa1);
      i += 1;
    } else {
      // An upper-half byte: its set's character, or Latin-1's where no set is designated.
      out += decoder(g1.kind === 'single' ? g1.label : 'iso-8859-1').decode(bytes.subarray(i, i + 1));
      i += 1;
    }
  }
  return out;
}
