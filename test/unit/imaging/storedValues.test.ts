import { nativeDecoder } from '../../../src/imaging/decode/nativeDecoder';
import { rleDecoder } from '../../../src/imaging/decode/rleDecoder';
import { toStoredValues } from '../../../src/imaging/decode/storedValues';
import { frameInfo, le16 } from '../../helpers/imaging/frameInfo';


describe('stored values from native pixel data', () => {
  it('clears bits above High Bit (overlay/junk bits)', () => {
    const i = frameInfo({});
    const d = toStoredValues(nativeDecoder.decode(le16([0xf123, 0x1fff, 0x8000, 0x0abc]), i), i);
    expect(d.pixels).toBeInstanceOf(Uint16Array);
    expect(Array.from(d.pixels)).toEqual([0x123, 0xfff, 0, 0xabc]);
  });

  it('sign-extends from Bits Stored when signed', () => {
    const i = frameInfo({ signed: true });
    const d = toStoredValues(nativeDecoder.decode(le16([0x0800, 0x0fff, 0x07ff, 0xf001]), i), i);
    expect(d.pixels).toBeInstanceOf(Int16Array);
    expect(Array.from(d.pixels)).toEqual([-2048, -1, 2047, 1]);
  });

  it('shifts down when High Bit is above Bits Stored - 1', () => {
    const i = frameInfo({ bitsStored: 12, highBit: 15 });
    const d = toStoredValues(nativeDecoder.decode(le16([0xabc0, 0x0010]), { ...i, columns: 2 }), {
      ...i,
      columns: 2,
    });
    expect(Array.from(d.pixels)).toEqual([0xabc, 0x001]);
  });

  it('reads 8-bit and big-endian data', () => {
    const i8 = frameInfo({ bitsAllocated: 8, bitsStored: 8, highBit: 7 });
    expect(
      Array.from(toStoredValues(nativeDecoder.decode(Uint8Array.from([0, 7, 200, 255]), i8), i8).pixels),
    ).toEqual([0, 7, 200, 255]);
    const be = frameInfo({ transferSyntaxUid: '1.2.840.10008.1.2.2', columns: 2 });
    expect(
      Array.from(
        toStoredValues(nativeDecoder.decode(Uint8Array.from([0x01, 0x23, 0x0f, 0xff]), be), be).pixels,
      ),
    ).toEqual([0x123, 0xfff]);
  });

  it('refuses truncated pixel data', () => {
    expect(() => nativeDecoder.decode(le16([1, 2, 3]), frameInfo({}))).toThrow(/truncated/);
  });
});

describe('RLE decoder', () => {
  /** One frame: header + given PackBits segments. */
  function rleFrame(segments: number[][]): Uint8Array {
    const header = new Uint8Array(64);
    const view = new DataView(header.buffer);
    view.setUint32(0, segments.length, true);
    let offset = 64;
    segments.forEach((s, k) => {
      view.setUint32(4 + 4 * k, offset, true);
      offset += s.length;
    });
    return Uint8Array.from([...header, ...segments.flat()]);
  }

  it('decodes literal and replicate runs, most significant byte plane first', () => {
    const i = frameInfo({ columns: 5, bitsStored: 16, highBit: 15 });
    // MSB plane: replicate 0x12 five times; LSB plane: literal 01 02 03, then replicate 0xff twice.
    const frame = rleFrame([
      [-4 & 0xff, 0x12],
      [2, 1, 2, 3, -1 & 0xff, 0xff],
    ]);
    const d = toStoredValues(rleDecoder.decode(frame, i), i);
    expect(Array.from(d.pixels)).toEqual([0x1201, 0x1202, 0x1203, 0x12ff, 0x12ff]);
  });

  it('refuses a short segment and a wrong segment count', () => {
    const i = frameInfo({ columns: 5, bitsStored: 16, highBit: 15 });
    expect(() =>
      rleDecoder.decode(
        rleFrame([
          [-4 & 0xff, 0x12],
          [1, 1, 2],
        ]),
        i,
      ),
    ).toThrow(/truncated/);
    expect(() => rleDecoder.decode(rleFrame([[-4 & 0xff, 0x12]]), i)).toThrow(/segments/);
  });
});
