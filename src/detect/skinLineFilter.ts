import type { DetectedSpeck } from './detectedSpeck';

/**
 * Drops specks within marginPx of the breast edge (a mask pixel at that distance in any of 16
 * directions is background). The skin line and the breast border are where a bright edge most often
 * passes for a speck, and dermal calcifications there are benign.
 */
export function awayFromBreastEdge(specks: DetectedSpeck[], mask: Uint8Array, width: number, height: number, marginPx: number): DetectedSpeck[] {
  if (marginPx <= 0) return specks;
  const directions = Array.from({ length: 16 }, (_, k) => [Math.cos((k * Math.PI) / 8), Math.sin((k * Math.PI) / 8)]);
  return specks.filter((s) =>
    directions.every(([dx, dy]) => {
      const x = Math.floor(s.x + dx * marginPx);
      const y = Math.floor(s.y + dy * marginPx);
      // Beyond the image border counts as breast: images are often cropped through the breast.
      if (x < 0 || y < 0 || x >= width || y >= height) return true;
      return mask[y * width + x] !== 0;
    }),
  );
}
