import { opjRawOutputToRawFrame } from '../../../src/imaging/decode/opjRawOutput';
import type { FrameInfo } from '../../../src/imaging/decode/pixelDecoder';
import { toStoredValues } from '../../../src/imaging/decode/storedValues';
import { frameInfo, le16 } from '../../helpers/imaging/frameInfo';

const info = (o: Partial<FrameInfo>) => frameInfo({ transferSyntaxUid: '1.2.840.10008.1.2.4.90', ...o });
const printed = (w: number, h: number, bits: number, sign: 'signed' | 'unsigned') =>
  `[INFO] Stream reached its end !\nRaw image characteristics: 1 components\nComponent 0 characteristics: ${w}x${h}x${bits} ${sign}\n`;

describe("opj_decompress's raw output", () => {
  it('takes unsigned little-endian words as they are', () => {
    const i = info({});
    const frame = opjRawOutputToRawFrame(le16([0, 1, 2048, 4095]), printed(4, 1, 12, 'unsigned'), i);
    expect(Array.from(toStoredValues(frame, i).pixels)).toEqual([0, 1, 2048, 4095]);
  });

  it('sign-extends signed samples, which OpenJPEG writes masked to their precision', () => {
    // -2048, -1, 0, 2047 at 12 bits, as opj_decompress writes them: the low 12 bits only.
    const written = le16([0x800, 0xfff, 0, 0x7ff]);
    for (const bitsStored of [12, 16]) {
      const i = info({ signed: true, bitsStored, highBit: bitsStored - 1 });
      const frame = opjRawOutputToRawFrame(written, printed(4, 1, 12, 'signed'), i);
      expect([bitsStored, Array.from(toStoredValues(frame, i).pixels)]).toEqual([bitsStored, [-2048, -1, 0, 2047]]);
    }
  });

  it('widens 8-bit samples into 16-bit words when Bits Allocated is 16', () => {
    const i = info({ bitsStored: 8, highBit: 7 });
    const frame = opjRawOutputToRawFrame(Uint8Array.from([0, 7, 200, 255]), printed(4, 1, 8, 'unsigned'), i);
    expect(frame.bytesPerSample).toBe(2);
    expect(Array.from(toStoredValues(frame, i).pixels)).toEqual([0, 7, 200, 255]);
  });

  it('refuses a codestream whose size is not the header one, even when the sample count matches', () => {
    expect(() => opjRawOutputToRawFrame(le16([1, 2, 3, 4]), printed(2, 2, 12, 'unsigned'), info({}))).toThrow(
      'codestream is 2 x 2, header says 4 x 1: the compressed image does not match Rows/Columns',
    );
  });

  it('refuses samples wider than Bits Allocated and output of the wrong length', () => {
    expect(() => opjRawOutputToRawFrame(le16([1, 2, 3, 4]), printed(4, 1, 12, 'unsigned'), info({ bitsAllocated: 8, bitsStored: 8, highBit: 7 }))).toThrow(
      /precision 12 bits.*Bits Allocated 8/,
    );
    expect(() => opjRawOutputToRawFrame(le16([1, 2, 3]), printed(4, 1, 12, 'unsigned'), info({}))).toThrow(/wrote 6 bytes/);
  });

  it('without the printed line, checks the length against the header as the WASM decoder does', () => {
    const i = info({});
    expect(Array.from(toStoredValues(opjRawOutputToRawFrame(le16([5, 6, 7, 8]), '', i), i).pixels)).toEqual([5, 6, 7, 8]);
    expect(() => opjRawOutputToRawFrame(le16([5, 6, 7]), '', i)).toThrow(/does not match the header/);
  });
});
