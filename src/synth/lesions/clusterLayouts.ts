import type { CalcificationDistribution } from '../../findings/types';
import { SeededRandom } from '../random';

/** A speck position relative to the cluster centre (mm, image axes) and its long-axis direction. */
export interface LayoutPoint {
  dxMm: number;
  dyMm: number;
  angle: number;
}

/**
 * Where the specks of a cluster lie, per BI-RADS distribution (LESIONS.md): grouped within about
 * 1 cm; linear along a duct; segmental as a wedge whose apex points to the nipple; regional and
 * diffuse spread over a large area. `towardNipple` is the direction (radians) from the cluster centre
 * to the nipple; ducts run radially toward it, so linear specks are oriented along it.
 */
export function layoutCluster(
  distribution: CalcificationDistribution,
  count: number,
  towardNipple: number,
  random: SeededRandom,
): LayoutPoint[] {
  const points: LayoutPoint[] = [];
  const along = (angle: number, jitter: number): number => angle + random.normal() * jitter;
  switch (distribution) {
    case 'grouped': {
      // Most specks within a few mm; "at least 5 within 1 cm" (BI-RADS 5th edition).
      const radius = random.uniform(1.5, 4.5);
      for (let i = 0; i < count; i++) {
        const r = radius * Math.sqrt(random.next());
        const theta = random.uniform(0, 2 * Math.PI);
        points.push({ dxMm: r * Math.cos(theta), dyMm: r * Math.sin(theta), angle: along(towardNipple, 0.8) });
      }
      break;
    }
    case 'linear': {
      const length = random.uniform(5, 18);
      const bend = random.uniform(-0.04, 0.04);
      for (let i = 0; i < count; i++) {
        const t = random.uniform(-length / 2, length / 2);
        const side = random.normal() * 0.3 + bend * t * t;
        points.push({
          dxMm: t * Math.cos(towardNipple) - side * Math.sin(towardNipple),
          dyMm: t * Math.sin(towardNipple) + side * Math.cos(towardNipple),
          angle: along(towardNipple, 0.2),
        });
      }
      break;
    }
    case 'segmental': {
      // A wedge: apex toward the nipple, widening away from it (a duct and its branches).
      const length = random.uniform(10, 25);
      const halfAngle = random.uniform(0.2, 0.42);
      const away = towardNipple + Math.PI;
      for (let i = 0; i < count; i++) {
        const r = length * (0.1 + 0.9 * Math.sqrt(random.next()));
        const phi = away + random.uniform(-halfAngle, halfAngle);
        // Positions measured from the apex, then shifted so the wedge's middle is the centre.
        const x = r * Math.cos(phi) - (length / 2) * Math.cos(away);
        const y = r * Math.sin(phi) - (length / 2) * Math.sin(away);
        points.push({ dxMm: x, dyMm: y, angle: along(phi, 0.25) });
      }
      break;
    }
    case 'regional':
    case 'diffuse': {
      const radius = distribution === 'regional' ? random.uniform(10, 20) : random.uniform(20, 32);
      for (let i = 0; i < count; i++) {
        const r = radius * Math.sqrt(random.next());
        const theta = random.uniform(0, 2 * Math.PI);
        points.push({ dxMm: r * Math.cos(theta), dyMm: r * Math.sin(theta), angle: random.uniform(0, Math.PI) });
      }
      break;
    }
  }
  return points;
}
