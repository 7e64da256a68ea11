import { createAttenuationImage, type AttenuationImage } from '../attenuationImage';
import type { MammoView } from '../dicom/mammoView';
import { SeededRandom } from '../random';
import { makeBreastGeometry } from './breastGeometry';
import { relativePathLength } from './thicknessProfile';

/**
 * The simplest plausible picture: a breast outline with the thickness fall-off toward the skin and a
 * smooth density gradient toward the chest wall, no texture. Quick to make, for receiver and report
 * tests that need a mammogram-shaped image but no realism.
 */
export function gradientBreast(view: MammoView, width: number, height: number, spacingMm: number, seed: number): AttenuationImage {
  const image = createAttenuationImage(width, height, spacingMm);
  const geometry = makeBreastGeometry(view, width, height, spacingMm, new SeededRandom(seed));
  const rimMm = 12;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const depth = geometry.depthBelowSkinMm(x + 0.5, y + 0.5);
      if (depth <= 0) continue;
      const i = y * width + x;
      const toChestWall = 1 - geometry.toCanonicalX(x + 0.5) / width;
      image.attenuation[i] = relativePathLength(depth, rimMm) * (2.2 + 0.6 * toChestWall);
      if (geometry.depthInPectoralMm(x + 0.5, y + 0.5) > 0) image.attenuation[i] += 0.5;
      image.breastMask[i] = 1;
    }
  }
  return image;
}
