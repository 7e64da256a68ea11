import type { ImageFindings, StudyFindings } from '../findings/types';

/**
 * Per breast and per exam, the maximum cluster malignancy (LESIONS.md: per-breast results are the
 * maximum over the breast's clusters). A breast whose images were all analysed without a cluster
 * scores 0; a breast with no analysed image has no score, and so has an exam with none: 0 would read
 * as "nothing suspicious" for a study nobody looked at.
 */
export function summariseStudy(images: ImageFindings[]): StudyFindings {
  const breastScores: { L?: number; R?: number } = {};
  let examScore: number | undefined;
  for (const image of images) {
    if (image.status !== 'analysed') continue;
    const score = image.clusters.reduce((m, c) => Math.max(m, c.malignancy), 0);
    if (image.laterality) breastScores[image.laterality] = Math.max(breastScores[image.laterality] ?? 0, score);
    examScore = Math.max(examScore ?? 0, score);
  }
  return { studyUid: images[0]?.studyUid ?? '', images, breastScores, ...(examScore === undefined ? {} : { examScore }) };
}
