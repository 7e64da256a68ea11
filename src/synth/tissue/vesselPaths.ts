import type { Point } from '../../findings/types';
import { SeededRandom } from '../random';
import type { BreastGeometry } from './breastGeometry';

/** A blood vessel's centre line (image pixels) and its radius in mm. */
export interface VesselPath {
  points: Point[];
  radiusMm: number;
  /** Peak extra attenuation on the centre line. */
  contrast: number;
}

/**
 * Vessels run from the chest wall toward the nipple, meandering. They are tubular and bright like
 * fine linear calcifications but wider and much longer, so they are the classic hard negative.
 */
export function makeVesselPaths(geometry: BreastGeometry, count: number, random: SeededRandom): VesselPath[] {
  const { width, height, spacingMm, nipple } = geometry;
  const paths: VesselPath[] = [];
  for (let v = 0; v < count; v++) {
    const startCanonicalX = random.uniform(0, width * 0.15);
    const start = {
      x: geometry.view.laterality === 'R' ? width - startCanonicalX : startCanonicalX,
      y: random.uniform(0.15, 0.85) * height,
    };
    if (geometry.depthBelowSkinMm(start.x, start.y) <= 0) continue;
    const points: Point[] = [start];
    let heading = Math.atan2(nipple.y - start.y, nipple.x - start.x) + random.uniform(-0.6, 0.6);
    const stepPx = 1 / spacingMm; // 1 mm steps
    const lengthMm = random.uniform(40, 140);
    for (let s = 0; s < lengthMm; s++) {
      heading += random.normal() * 0.08;
      const last = points[points.length - 1];
      const next = { x: last.x + Math.cos(heading) * stepPx, y: last.y + Math.sin(heading) * stepPx };
      if (geometry.depthBelowSkinMm(next.x, next.y) < 2) break;
      points.push(next);
    }
    if (points.length > 5) paths.push({ points, radiusMm: random.uniform(0.3, 1.0), contrast: random.uniform(0.02, 0.08) });
  }
  return paths;
}

/**
 * Adds vessels to an attenuation window whose top-left is (x0, y0) in image pixels: a cylinder's
 * projected chord √(1 - (d/r)²) across the centre line.
 */
export function drawVessels(
  attenuation: Float32Array,
  windowWidth: number,
  windowHeight: number,
  x0: number,
  y0: number,
  spacingMm: number,
  vessels: VesselPath[],
): void {
  for (const vessel of vessels) {
    const radiusPx = vessel.radiusMm / spacingMm;
    const profile = new Float32Array(windowWidth * windowHeight);
    for (let i = 1; i < vessel.points.length; i++) {
      const a = vessel.points[i - 1];
      const b = vessel.points[i];
      const minX = Math.max(0, Math.floor(Math.min(a.x, b.x) - radiusPx - x0));
      const maxX = Math.min(windowWidth - 1, Math.ceil(Math.max(a.x, b.x) + radiusPx - x0));
      const minY = Math.max(0, Math.floor(Math.min(a.y, b.y) - radiusPx - y0));
      const maxY = Math.min(windowHeight - 1, Math.ceil(Math.max(a.y, b.y) + radiusPx - y0));
      const abx = b.x - a.x;
      const aby = b.y - a.y;
      const length2 = abx * abx + aby * aby;
      for (let y = minY; y <= maxY; y++) {
        for (let x = minX; x <= maxX; x++) {
          const px = x + x0 + 0.5 - a.x;
          const py = y + y0 + 0.5 - a.y;
          const t = Math.min(1, Math.max(0, (px * abx + py * aby) / length2));
          const dx = px - t * abx;
          const dy = py - t * aby;
          const q = 1 - (dx * dx + dy * dy) / (radiusPx * radiusPx);
          if (q > 0) {
            const value = Math.sqrt(q);
            const index = y * windowWidth + x;
            if (value > profile[index]) profile[index] = value;
          }
        }
      }
    }
    for (let i = 0; i < profile.length; i++) attenuation[i] += vessel.contrast * profile[i];
  }
}

/** The point of a vessel nearest to its middle, for centring hard-negative patches. */
export function vesselMidpoint(vessel: VesselPath, random: SeededRandom): Point {
  return vessel.points[random.int(Math.floor(vessel.points.length * 0.2), Math.floor(vessel.points.length * 0.8))];
}
