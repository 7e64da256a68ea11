/** Transfer syntaxes the synthetic study writer can produce (PS3.5 Annex A, PS3.6 Table A-1). */
export const TRANSFER_SYNTAX = {
  explicitLittleEndian: '1.2.840.10008.1.2.1',
  jpegExtended12Bit: '1.2.840.10008.1.2.4.51',
  jpegLossless: '1.2.840.10008.1.2.4.57',
  jpegLosslessSv1: '1.2.840.10008.1.2.4.70',
  jpegLsLossless: '1.2.840.10008.1.2.4.80',
  jpegLsNearLossless: '1.2.840.10008.1.2.4.81',
  jpeg2000Lossless: '1.2.840.10008.1.2.4.90',
  jpeg2000: '1.2.840.10008.1.2.4.91',
  rleLossless: '1.2.840.10008.1.2.5',
} as const;

export type TransferSyntaxUid = (typeof TRANSFER_SYNTAX)[keyof typeof TRANSFER_SYNTAX];

const LOSSY: ReadonlySet<string> = new Set([
  TRANSFER_SYNTAX.jpegExtended12Bit,
  TRANSFER_SYNTAX.jpegLsNearLossless,
  TRANSFER_SYNTAX.jpeg2000,
]);

export function isLossySyntax(uid: string): boolean {
  return LOSSY.has(uid);
}

export function isKnownSyntax(uid: string): uid is TransferSyntaxUid {
  return (Object.values(TRANSFER_SYNTAX) as string[]).includes(uid);
}
