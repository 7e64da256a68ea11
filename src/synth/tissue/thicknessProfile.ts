/**
 * Relative X-ray path length through a compressed breast at a given depth below the skin outline:
 * the uncompressed rim is roughly a half-cylinder whose radius is half the compressed thickness, so
 * the path falls as a circle toward the skin line (1 in the compressed centre).
 */
export function relativePathLength(depthBelowSkinMm: number, rimRadiusMm: number): number {
  if (depthBelowSkinMm <= 0) return 0;
  if (depthBelowSkinMm >= rimRadiusMm) return 1;
  const outside = 1 - depthBelowSkinMm / rimRadiusMm;
  return Math.sqrt(1 - outside * outside);
}
