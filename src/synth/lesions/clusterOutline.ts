import type { Point } from '../../findings/types';

export interface OutlineDisc {
  x: number;
  y: number;
  radiusPx: number;
}

function cross(o: Point, a: Point, b: Point): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/** Convex hull (Andrew's monotone chain), counter-clockwise in image axes, not closed. */
export function convexHull(points: Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (sorted.length < 3) return sorted;
  const lower: Point[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (const p of [...sorted].reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
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

/** Point-in-polygon by ray casting (polygon closed or open). */
export function insidePolygon(point: Point, polygon: Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (a.y > point.y !== b.y > point.y && point.x < ((b.x - a.x) * (point.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}
