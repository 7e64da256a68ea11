import type { Point } from '../../findings/types';
import { convexHull } from '../../geometry/polygon';

export interface OutlineDisc {
  x: number;
  y: number;
  radiusPx: number;
}

/**
 * Closed polygon (last point = first) around discs covering each speck: the convex hull of 16 points
 * on a slightly larger circle around each, so every speck lies strictly inside.
 */
export function clusterOutline(discs: OutlineDisc[]): Point[] {
  const samples: Point[] = [];
  for (const disc of discs) {
    // Circumscribe the circle: a 16-gon's vertices at r / cos(π/16) keep the whole disc inside.
    const r = disc.radiusPx / Math.cos(Math.PI / 16);
    for (let k = 0; k < 16; k++) {
      const theta = (2 * Math.PI * k) / 16;
      samples.push({ x: round2(disc.x + r * Math.cos(theta)), y: round2(disc.y + r * Math.sin(theta)) });
    }
  }
  const hull = convexHull(samples);
  return [...hull, hull[0]];
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
