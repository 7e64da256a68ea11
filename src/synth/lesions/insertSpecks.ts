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
  /**
   * The speck's CNR in the image (LESIONS.md: its contrast over the local tissue noise): the final
   * signal of the whole batch (every speck inserted and blurred, before noise and quantisation) at
   * the speck's own brightest pixel, over `noise`. Equals plan.cnr (the speck's own peak, which sets
   * its amplitude) unless neighbours' blurred signal reaches that pixel; in a compact cluster it is
   * often well above it.
   */
  cnr: number;
}

/**
 * Adds calcifications to the attenuation map, before noise and quantisation (LESIONS.md): each speck
 * is rendered at sub-pixel precision, blurred with the detector's Gaussian point spread function and
 * scaled so that its blurred peak equals CNR × the local tissue noise. The CNR each speck then has
 * in the image, neighbours included, is measured afterwards (InsertedSpeck.cnr); it changes nothing
 * in the pixels.
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
  // Each inserted speck's blurred signal (gain × blurred, on its raster) and its own brightest pixel, for the CNR in the image.
  const signals: { raster: { x0: number; y0: number; width: number; height: number }; gain: number; blurred: Float32Array; peakAt: number }[] = [];
  for (const [index, plan] of plans.entries()) {
    const raster = renderSpeck(plan, image.spacingMm, margin);
    const blurred = gaussianBlur(raster.coverage, raster.width, raster.height, psfSigmaPx);
    let peak = 0;
    let peakAt = 0;
    let coverageMax = 0;
    for (let i = 0; i < blurred.length; i++) {
      if (blurred[i] > peak) peakAt = i;
      peak = Math.max(peak, blurred[i]);
      coverageMax = Math.max(coverageMax, raster.coverage[i]);
    }
    if (peak <= 0) continue;
    const gain = (plan.cnr * noises[index]) / peak;
    signals.push({ raster, gain, blurred, peakAt });
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
    inserted.push({ plan, footprint, noise: noises[index], cnr: plan.cnr });
  }
  // The batch's total signal at each speck's own peak: its own peak (plan.cnr × noise) plus what the
  // blur of every other speck adds there.
  inserted.forEach((speck, i) => {
    const own = signals[i];
    const peakX = own.raster.x0 + (own.peakAt % own.raster.width);
    const peakY = own.raster.y0 + Math.floor(own.peakAt / own.raster.width);
    let total = 0;
    for (const { raster, gain, blurred } of signals) {
      const px = peakX - raster.x0;
      const py = peakY - raster.y0;
      if (px >= 0 && px < raster.width && py >= 0 && py < raster.height) total += gain * blurred[py * raster.width + px];
    }
    speck.cnr = total / speck.noise;
  });
  return inserted;
}
