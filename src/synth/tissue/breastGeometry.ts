import type { MammoView } from '../dicom/mammoView';
import { SeededRandom } from '../random';

/**
 * Where the breast, its skin and (on MLO) the pectoral muscle lie in a full image of a given size.
 * Analytic, so any window of the image can be evaluated without building the whole image.
 * Computed in a canonical frame with the chest wall at x = 0; right breasts are mirrored, matching
 * the Patient Orientation written in the header (mammoView.ts).
 */
export interface BreastGeometry {
  width: number;
  height: number;
  spacingMm: number;
  view: MammoView;
  /** Distance inside the skin surface in mm (negative outside the breast). */
  depthBelowSkinMm(x: number, y: number): number;
  /** Distance below the pectoral boundary in mm (negative outside the muscle; always negative on CC). */
  depthInPectoralMm(x: number, y: number): number;
  /** The nipple, in image pixels. */
  nipple: { x: number; y: number };
  /** Canonical x (chest wall at 0) for an image x. */
  toCanonicalX(x: number): number;
}

export function makeBreastGeometry(
  view: MammoView,
  width: number,
  height: number,
  spacingMm: number,
  random: SeededRandom,
): BreastGeometry {
  const mirror = view.laterality === 'R';
  const toCanonicalX = (x: number): number => (mirror ? width - x : x);
  // Breast reach from the chest wall and its half-height, as fractions of the image (a breast fills
  // roughly 60-85% of the detector's long axis on screening views).
  const depth = width * random.uniform(0.62, 0.86);
  const halfHeight = height * (view.view === 'CC' ? random.uniform(0.36, 0.45) : random.uniform(0.42, 0.5));
  const centreY = height * (view.view === 'CC' ? random.uniform(0.47, 0.53) : random.uniform(0.5, 0.58));
  // MLO: the breast bulges downward; the outline is an ellipse whose upper part is cut by the axilla.
  const pectoralTop = view.view === 'MLO' ? width * random.uniform(0.22, 0.4) : 0;
  const pectoralLeft = view.view === 'MLO' ? height * random.uniform(0.45, 0.7) : 0;
  const pectoralBulge = random.uniform(0.0, 0.12);

  const depthBelowSkinMm = (x: number, y: number): number => {
    const cx = toCanonicalX(x);
    if (cx < 0) return -1;
    const u = cx / depth;
    const v = (y - centreY) / halfHeight;
    const r = Math.sqrt(u * u + v * v);
    if (r < 1e-9) return Math.min(depth, halfHeight) * spacingMm;
    // First-order distance to the ellipse r = 1: (1 - r) / |grad r|.
    const gx = u / (depth * r);
    const gy = v / (halfHeight * r);
    let distancePx = (1 - r) / Math.sqrt(gx * gx + gy * gy);
    if (view.view === 'MLO' && y < centreY) {
      // The upper part reaches the image top (axilla) rather than closing: widen the ellipse there.
      const vTop = (y - centreY) / (centreY + halfHeight * 0.1);
      const rTop = Math.sqrt(u * u + vTop * vTop);
      const gxt = u / (depth * Math.max(rTop, 1e-9));
      const gyt = vTop / ((centreY + halfHeight * 0.1) * Math.max(rTop, 1e-9));
      const distanceTop = (1 - rTop) / Math.sqrt(gxt * gxt + gyt * gyt + 1e-18);
      distancePx = Math.max(distancePx, distanceTop);
    }
    return distancePx * spacingMm;
  };

  const depthInPectoralMm = (x: number, y: number): number => {
    if (view.view !== 'MLO') return -1e9;
    const cx = toCanonicalX(x);
    // Line from (pectoralTop, 0) to (0, pectoralLeft), slightly convex toward the breast.
    const along = Math.min(1, Math.max(0, y / pectoralLeft));
    const boundaryX = pectoralTop * (1 - along) * (1 + pectoralBulge * Math.sin(Math.PI * along));
    const normal = Math.hypot(pectoralTop, pectoralLeft);
    const signedPx = ((boundaryX - cx) * pectoralLeft) / normal;
    return signedPx * spacingMm;
  };

  const nippleY = view.view === 'CC' ? centreY : centreY + halfHeight * 0.05;
  return {
    width,
    height,
    spacingMm,
    view,
    depthBelowSkinMm,
    depthInPectoralMm,
    nipple: { x: mirror ? width - depth : depth, y: nippleY },
    toCanonicalX,
  };
}
