import { createHash } from 'crypto';
import type { ImageFindings } from '../findings/types';

/**
 * Names one build of a study's objects: the set of images and their outcome. Retrying the same build
 * gives the same fingerprint (so its export jobs dedupe); a late image or an operator's rerun (a new
 * generation) gives a new one.
 */
export function studyFingerprint(images: Pick<ImageFindings, 'sopInstanceUid' | 'status'>[], generation = 0): string {
  const text = images
    .map((i) => `${i.sopInstanceUid}:${i.status}`)
    .sort()
    .join(',');
  return createHash('sha1').update(`${generation}|${text}`).digest('hex').slice(0, 16);
}
