import { TransferSyntaxUid } from './transferSyntaxUid';

/**
 * Transfer syntaxes the receiver accepts, best first. Images are stored as received (no transcoding),
 * so the order is: the sender's lossless compression (kept as is, smaller on the wire and on disk),
 * then uncompressed (explicit before implicit VR, which carries no VR), and lossy syntaxes last: a
 * sender only proposes those when the image already is lossy.
 */
export const TRANSFER_SYNTAX_PREFERENCE: readonly string[] = [
  TransferSyntaxUid.jpegLsLossless,
  TransferSyntaxUid.jpeg2000Lossless,
  TransferSyntaxUid.htj2kLosslessRpcl,
  TransferSyntaxUid.htj2kLossless,
  TransferSyntaxUid.jpegLosslessSv1,
  TransferSyntaxUid.jpegLossless,
  TransferSyntaxUid.rleLossless,
  TransferSyntaxUid.explicitVrLittleEndian,
  TransferSyntaxUid.implicitVrLittleEndian,
  TransferSyntaxUid.jpeg2000,
  TransferSyntaxUid.htj2k,
  TransferSyntaxUid.jpegLsNearLossless,
  TransferSyntaxUid.jpegExtended12Bit,
  TransferSyntaxUid.jpegBaseline,
];

/** Verification (C-ECHO) carries no dataset: any uncompressed syntax will do. */
export const UNCOMPRESSED_TRANSFER_SYNTAXES: readonly string[] = [
  TransferSyntaxUid.explicitVrLittleEndian,
  TransferSyntaxUid.implicitVrLittleEndian,
];

/**
 * Picks the accepted syntax for one presentation context from what the sender proposed, or
 * undefined when none is acceptable. Works on its own copy: the proposed list is never changed.
 */
export function chooseTransferSyntax(
  proposed: readonly string[],
  preference: readonly string[] = TRANSFER_SYNTAX_PREFERENCE,
): string | undefined {
  const offered = new Set(proposed.map((uid) => uid.replace(/[\0 ]+$/, '')));
  return preference.find((uid) => offered.has(uid));
}
