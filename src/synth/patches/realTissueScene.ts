import { prepareDecoded } from '../../imaging/prepareImage';
import { insertIntoRealTissue } from '../tissue/realTissueWithLesions';
import type { ReferenceTissueImage } from '../tissue/referenceImages';
import { labelMapFromSpecks } from './labelMap';
import { DEFAULT_SPACING_MM, WORKING_SPACING_MM } from './preparedFromAttenuation';
import { sceneSpecks, type HardNegativeLandmark, type PatchScene } from './patchScene';

/**
 * A real normal mammogram with synthetic calcifications (insertIntoRealTissue), prepared like any
 * other image, with skin-line points as hard-negative landmarks.
 */
export function realTissueScene(reference: ReferenceTissueImage, seed: number): PatchScene {
  const { decoded, header, mask, ignore, lesions, random } = insertIntoRealTissue(reference, seed);
  const { rows, columns } = decoded;
  const result = prepareDecoded(decoded, header, { workingSpacingMm: WORKING_SPACING_MM, defaultSpacingMm: DEFAULT_SPACING_MM });
  if (!result.ok) throw new Error(`${reference.name}: not analysable: ${result.reason}`);

  const landmarks: HardNegativeLandmark[] = [];
  for (let attempt = 0; attempt < 20000 && landmarks.length < 6; attempt++) {
    const x = random.int(1, columns - 2);
    const y = random.int(1, rows - 2);
    const i = y * columns + x;
    // A skin-line point: in the mask, next to air, away from the image border.
    if (mask[i] && (!mask[i - 1] || !mask[i + 1] || !mask[i - columns] || !mask[i + columns]) && x > 10 && x < columns - 10) landmarks.push({ source: 'skin', x, y });
  }
  return {
    tissue: reference.film ? 'mias' : 'ffdm',
    prepared: result.image,
    originalColumns: columns,
    originalRows: rows,
    labels: labelMapFromSpecks(columns, rows, lesions.inserted, ignore),
    specks: sceneSpecks(lesions),
    landmarks,
  };
}
