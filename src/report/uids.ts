import { createHash } from 'node:crypto';

/**
 * A UID under the 2.25 root (ITU-T X.667: a decimal 128-bit integer) derived from a SHA-256 of the
 * given parts. The same inputs always give the same UID, so processing a study again writes objects
 * with the same identity and the archive replaces rather than duplicates them.
 */
export function deterministicUid(...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  const value = BigInt('0x' + digest.subarray(0, 16).toString('hex'));
  // X.667 asks for a non-zero integer; 2.25.0 would be a legal but odd UID.
  const uid = `2.25.${value === 0n ? 1n : value}`;
  return uid.slice(0, 64);
}
