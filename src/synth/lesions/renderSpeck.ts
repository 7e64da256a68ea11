import type { SpeckPlan } from './speckPlan';
import { speckShape } from './speckShapes';

/** A speck drawn on a small pixel grid placed at (x0, y0) in the image. */
export interface SpeckRaster {
  x0: number;
  y0: number;
  width: number;
  height: number;
  /** Mean projected thickness over each pixel (0..1). */
  coverage: Float32Array;
}

/**
 * Samples the speck's shape on `supersample`² points per pixel, so that sub-pixel specks (0.1 mm at
 * 70 µm is 1.4 px) keep their area and centre instead of snapping to the grid. `marginPx` leaves
 * room around the shape for the blur that follows.
 */
export function renderSpeck(plan: SpeckPlan, spacingMm: number, marginPx: number, supersample = 4): SpeckRaster {
  const shape = speckShape(plan);
  const extentPx = shape.extentMm / spacingMm;
  const x0 = Math.floor(plan.x - extentPx - marginPx);
  const y0 = Math.floor(plan.y - extentPx - marginPx);
  const width = Math.ceil(plan.x + extentPx + marginPx) - x0 + 1;
  const height = Math.ceil(plan.y + extentPx + marginPx) - y0 + 1;
  const coverage = new Float32Array(width * height);
  const cos = Math.cos(plan.angle);
  const sin = Math.sin(plan.angle);
  const step = 1 / supersample;
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      let sum = 0;
      for (let sy = 0; sy < supersample; sy++) {
        const dy = (y0 + py + (sy + 0.5) * step - plan.y) * spacingMm;
        for (let sx = 0; sx < supersample; sx++) {
          const dx = (x0 + px + (sx + 0.5) * step - plan.x) * spacingMm;
          if (dx * dx + dy * dy > shape.extentMm * shape.extentMm * 1.21) continue;
          sum += shape.thickness(cos * dx + sin * dy, -sin * dx + cos * dy);
        }
      }
      coverage[py * width + px] = sum / (supersample * supersample);
    }
  }
  return { x0, y0, width, height, coverage };
}
