/** Transfer syntax UIDs used across the node (PS3.5 Annex A, PS3.6 Table A-1): one table for the receiver's policy, the decoders, the synthetic writer and the report writer. */
export const TransferSyntaxUid = {
  implicitVrLittleEndian: '1.2.840.10008.1.2',
  explicitVrLittleEndian: '1.2.840.10008.1.2.1',
  deflatedExplicitVrLittleEndian: '1.2.840.10008.1.2.1.99',
  explicitVrBigEndian: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended12Bit: '1.2.840.10008.1.2.4.51',
  jpegLossless: '1.2.840.10008.1.2.4.57',
  jpegLosslessSv1: '1.2.840.10008.1.2.4.70',
  jpegLsLossless: '1.2.840.10008.1.2.4.80',
  jpegLsNearLossless: '1.2.840.10008.1.2.4.81',
  jpeg2000Lossless: '1.2.840.10008.1.2.4.90',
  jpeg2000: '1.2.840.10008.1.2.4.91',
  // High-Throughput JPEG 2000 (ISO 15444-15), PS3.5 A.4.11: a JPEG 2000 codestream with the HT block coder.
  htj2kLossless: '1.2.840.10008.1.2.4.201',
  htj2kLosslessRpcl: '1.2.840.10008.1.2.4.202',
  htj2k: '1.2.840.10008.1.2.4.203',
  rleLossless: '1.2.840.10008.1.2.5',
} as const;

/** Syntaxes whose pixel data is encapsulated (fragments), i.e. everything compressed. */
export function isEncapsulated(uid: string): boolean {
  return uid.startsWith('1.2.840.10008.1.2.4.') || uid === TransferSyntaxUid.rleLossless;
}
