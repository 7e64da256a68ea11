/**
 * Transfer syntaxes the receiver accepts, best first. Images are stored as received (no transcoding),
 * so the order is: the sender's lossless compression (kept as is, smaller on the wire and on disk),
 * then uncompressed (explicit before implicit VR, which carries no VR), and lossy syntaxes last: a
 * sender only proposes those when the image already is lossy.
 */
export const TRANSFER_SYNTAX_PREFERENCE: readonly string[] = [
  '1.2.840.10008.1.2.4.80', // JPEG-LS Lossless
  '1.2.840.10008.1.2.4.90', // JPEG 2000 Lossless Only
  '1.2.840.10008.1.2.4.70', // JPEG Lossless, First-Order Prediction (Process 14, SV1)
  '1.2.840.10008.1.2.4.57', // JPEG Lossless, Process 14
  '1.2.840.10008.1.2.5', // RLE Lossless
  '1.2.840.10008.1.2.1', // Explicit VR Little Endian
  '1.2.840.10008.1.2', // Implicit VR Little Endian
  '1.2.840.10008.1.2.4.91', // JPEG 2000
  '1.2.840.10008.1.2.4.81', // JPEG-LS Near-Lossless
  '1.2.840.10008.1.2.4.51', // JPEG Extended (Process 2 & 4)
  '1.2.840.10008.1.2.4.50', // JPEG Baseline (Process 1)
];

/** Verification (C-ECHO) carries no dataset: any uncompressed syntax will do. */
export const UNCOMPRESSED_TRANSFER_SYNTAXES: readonly string[] = ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'];

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
