import { SeededRandom } from '../random';
import type { BreastGeometry } from './breastGeometry';
import type { VesselPath } from './vesselPaths';

/**
 * Cooper's ligaments and small ducts: many short, thin, faint curved strands through the fat. They
 * give the parenchyma its fibrous look and, being thin bright lines, are the hard negatives closest
 * to fine linear calcifications (which are shorter, 0.5-3 mm, and brighter). Drawn like vessels.
 */
export function makeLigamentPaths(geometry: BreastGeometry, count: number, random: SeededRandom): VesselPath[] {
  const { width, height, spacingMm } = geometry;
  const paths: VesselPath[] = [];
  for (let attempt = 0; paths.length < count && attempt < count * 20; attempt++) {
    const start = { x: random.uniform(0, width), y: random.uniform(0, height) };
    if (geometry.depthBelowSkinMm(start.x, start.y) < 2) continue;
    let heading = random.uniform(0, 2 * Math.PI);
    const curvature = random.normal() * 0.06;
    const points = [start];
    const stepPx = 0.5 / spacingMm;
    const steps = Math.round(random.uniform(8, 40) / 0.5);
    for (let s = 0; s < steps; s++) {
      heading += curvature + random.normal() * 0.03;
      const last = points[points.length - 1];
      const next = { x: last.x + Math.cos(heading) * stepPx, y: last.y + Math.sin(heading) * stepPx };
      if (geometry.depthBelowSkinMm(next.x, next.y) < 1) break;
      points.push(next);
    }
    if (points.length > 4) paths.push({ points, radiusMm: random.uniform(0.1, 0.25), contrast: random.uniform(0.015, 0.04) });
  }
  return paths;
}
