import type { ImageFindings, StudyFindings } from '../../src/findings/types';

/** Maximum over images, per breast and per exam (what src/detect's summariseStudy does). */
export function summariseStudy(images: ImageFindings[]): StudyFindings {
  const breastScores: { L?: number; R?: number } = {};
  for (const i of images) if (i.laterality && i.status === 'analysed') breastScores[i.laterality] = Math.max(breastScores[i.laterality] ?? 0, i.imageScore);
  const analysed = images.filter((i) => i.status === 'analysed');
  const examScore = analysed.length > 0 ? Math.max(...analysed.map((i) => i.imageScore)) : undefined;
  return { studyUid: images[0]?.studyUid ?? '', images, breastScores, ...(examScore === undefined ? {} : { examScore }) };
}
