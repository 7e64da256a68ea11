import {
  chooseTransferSyntax,
  UNCOMPRESSED_TRANSFER_SYNTAXES,
} from '../../../src/dicom/transferSyntaxPolicy';

const EXPLICIT = '1.2.840.10008.1.2.1';
const IMPLICIT = '1.2.840.10008.1.2';
const BIG_ENDIAN = '1.2.840.10008.1.2.2';
const J2K_LOSSLESS = '1.2.840.10008.1.2.4.90';
const J2K = '1.2.840.10008.1.2.4.91';
const JPEG_LS = '1.2.840.10008.1.2.4.80';
const JPEG_SV1 = '1.2.840.10008.1.2.4.70';
const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
const RLE = '1.2.840.10008.1.2.5';

describe('transfer syntax policy', () => {
  it('prefers explicit over implicit VR', () => {
    expect(chooseTransferSyntax([IMPLICIT, EXPLICIT])).toBe(EXPLICIT);
  });

  it('keeps a lossless compressed image compressed when offered with uncompressed fallbacks', () => {
    expect(chooseTransferSyntax([EXPLICIT, IMPLICIT, J2K_LOSSLESS])).toBe(J2K_LOSSLESS);
    expect(chooseTransferSyntax([JPEG_SV1, EXPLICIT, IMPLICIT])).toBe(JPEG_SV1);
    expect(chooseTransferSyntax([RLE, IMPLICIT])).toBe(RLE);
  });

  it('takes lossy only when nothing lossless is offered', () => {
    expect(chooseTransferSyntax([J2K, IMPLICIT])).toBe(IMPLICIT);
    expect(chooseTransferSyntax([J2K])).toBe(J2K);
    expect(chooseTransferSyntax([JPEG_BASELINE])).toBe(JPEG_BASELINE);
  });

  it('returns undefined when nothing proposed is supported', () => {
    expect(chooseTransferSyntax([BIG_ENDIAN, '1.2.840.10008.1.2.1.99'])).toBeUndefined();
    expect(chooseTransferSyntax([])).toBeUndefined();
  });

  it('does not change the proposed list (it decides on a copy)', () => {
    const proposed = [BIG_ENDIAN, IMPLICIT, JPEG_LS, EXPLICIT];
    const before = [...proposed];
    expect(chooseTransferSyntax(proposed)).toBe(JPEG_LS);
    expect(proposed).toEqual(before);
  });

  it('ignores NUL padding on proposed UIDs', () => {
    expect(chooseTransferSyntax([EXPLICIT + '\0'])).toBe(EXPLICIT);
  });

  it('accepts only uncompressed syntaxes for verification', () => {
    expect(chooseTransferSyntax([J2K_LOSSLESS, IMPLICIT], UNCOMPRESSED_TRANSFER_SYNTAXES)).toBe(IMPLICIT);
    expect(chooseTransferSyntax([J2K_LOSSLESS], UNCOMPRESSED_TRANSFER_SYNTAXES)).toBeUndefined();
  });
});
