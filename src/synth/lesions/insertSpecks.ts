import type { AttenuationImage } from '../attenuationImage';
import type { DetectorSettings } from '../detectorModel';
import { gaussianBlur } from '../gaussianBlur';
import { localTissueNoise } from './localTissueNoise';
import { renderSpeck } from './renderSpeck';
import type { SpeckPlan } from './speckPlan';

export interface InsertedSpeck {
  plan: SpeckPlan;
  /** Image pixel indices the calcification covers (target 1 in the patch dataset). */
  footprint: number[];
  /** Local tissue noise used to set the amplitude (attenuation units). */
  noise: number;
}

/**
 * Adds calcifications to the attenuation map, before noise and quantisation (LESIONS.md): each speck
 * is rendered at sub-pixel precision, blurred with the detector's Gaussian point spread function and
 * scaled so that its blurred peak equals CNR × the local tissue noise.
 */
export function insertSpecks(
  image: AttenuationImage,
  plans: SpeckPlan[],
  psfSigmaPx: number,
  detector: DetectorSettings | undefined,
): InsertedSpeck[] {
  const { width, height } = image;
  const margin = Math.ceil(3 * psfSigmaPx) + 1;
  // Noise is measured on the tissue alone, before any speck of this batch is added.
  const noises = plans.map((plan) => localTissueNoise(image, plan.x, plan.y, detector));
  const inserted: InsertedSpeck[] = [];
  for (const [index, plan] of plans.entries()) {
    const raster = renderSpeck(plan, image.spacingMm, margin);
    const blurred = gaussianBlur(raster.coverage, raster.width, raster.height, psfSigmaPx);
    let peak = 0;
    let coverageMax = 0;
    for (let i = 0; i < blurred.length; i++) {
      peak = Math.max(peak, blurred[i]);
      coverageMax = Math.max(coverageMax, raster.coverage[i]);
    }
    if (peak <= 0) continue;
    const gain = (plan.cnr * noises[index]) / peak;
    const footprint: number[] = [];
    for (let py = 0; py < raster.height; py++) {
      const y = raster.y0 + py;
      if (y < 0 || y >= height) continue;
      for (let px = 0; px < raster.width; px++) {
        const x = raster.x0 + px;
        if (x < 0 || x >= width) continue;
        const local = py * raster.width + px;
        image.attenuation[y * width + x] += gain * blurred[local];
        if (raster.coverage[local] >= 0.3 * coverageMax) footprint.push(y * width + x);
      }
    }
    // Tiny specks: at least the centre pixel and its 8 neighbours, so a target is never a lone pixel.
    const cx = Math.floor(plan.x);
    const cy = Math.floor(plan.y);
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (x >= 0 && x < width && y >= 0 && y < height && !footprint.includes(y * width + x)) footprint.push(y * width + x);
      }
    }
    inserted.push({ plan, footprint, noise: noises[index] });
  }
  return inserted;
}
