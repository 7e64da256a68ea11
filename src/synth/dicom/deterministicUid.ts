import { SeededRandom } from '../random';

/**
 * UIDs under the 2.25 root (PS3.5 B.2: a UUID written as one unsigned decimal integer), derived from
 * the generator seed and a label so that the same seed always writes the same study.
 */
export function deterministicUid(seed: number, label: string): string {
  let labelHash = 2166136261;
  for (let i = 0; i < label.length; i++) {
    labelHash = Math.imul(labelHash ^ label.charCodeAt(i), 16777619) >>> 0;
  }
  const random = new SeededRandom((seed ^ labelHash) >>> 0);
  let value = 0n;
  for (let i = 0; i < 4; i++) {
    value = (value << 32n) | BigInt(Math.floor(random.next() * 4294967296));
  }
  // Mark it as a version 4 (random) UUID, RFC 4122 variant, as the 2.25 root expects.
  value = (value & ~(0xfn << 76n)) | (0x4n << 76n);
  value = (value & ~(0x3n << 62n)) | (0x2n << 62n);
  return `2.25.${value.toString(10)}`;
}
