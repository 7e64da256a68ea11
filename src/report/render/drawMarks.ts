import { glyphHeight, textCells } from './digitFont';
import type { DisplayImage } from './displayImage';
import type { Mark } from './marks';

export type Rgb = [number, number, number];

export const markColours: Record<Mark['emphasis'], Rgb> = {
  required: [255, 40, 40],
  optional: [255, 200, 0],
};
export const calcificationColour: Rgb = [0, 220, 255];

/** RGBA canvas of the display image, ready for marks and PNG encoding. */
export function canvasFrom(image: DisplayImage): Uint8Array {
  const rgba = new Uint8Array(image.width * image.height * 4);
  for (let i = 0; i < image.grey.length; i++) {
    rgba.set([image.grey[i], image.grey[i], image.grey[i], 255], i * 4);
  }
  return rgba;
}

function plot(rgba: Uint8Array, width: number, height: number, x: number, y: number, colour: Rgb): void {
  if (x < 0 || y < 0 || x >= width || y >= height) return;
  rgba.set([...colour, 255], (y * width + x) * 4);
}

/** A line between two points in output-pixel coordinates, `thickness` pixels wide. */
function line(
  rgba: Uint8Array,
  width: number,
  height: number,
  a: { x: number; y: number },
  b: { x: number; y: number },
  colour: Rgb,
  thickness: number,
): void {
  const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) * 2));
  const r = Math.floor(thickness / 2);
  for (let s = 0; s <= steps; s++) {
    const x = Math.floor(a.x + ((b.x - a.x) * s) / steps);
    const y = Math.floor(a.y + ((b.y - a.y) * s) / steps);
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++) plot(rgba, width, height, x + dx, y + dy, colour);
  }
}

/**
 * Draws the marks. Mark coordinates are source pixel space (origin at the top-left corner of the
 * top-left pixel), so output position = source position * scale, with no half-pixel shift.
 */
export function drawMarks(rgba: Uint8Array, image: DisplayImage, marks: Mark[]): void {
  const thickness = Math.max(1, Math.round(image.width / 400));
  for (const mark of marks) {
    const colour = mark.role === 'calcification' ? calcificationColour : markColours[mark.emphasis];
    const pts = mark.points.map((p) => ({ x: p.x * image.scale, y: p.y * image.scale }));
    if (mark.shape === 'polyline') {
      for (let i = 1; i < pts.length; i++)
        line(rgba, image.width, image.height, pts[i - 1], pts[i], colour, thickness);
      drawLabel(rgba, image, mark, colour);
    } else {
      // A small cross: the centre pixel itself carries the colour.
      const arm = mark.role === 'calcification' ? 2 + thickness : 4 + 2 * thickness;
      for (const p of pts) {
        line(
          rgba,
          image.width,
          image.height,
          { x: p.x - arm, y: p.y },
          { x: p.x + arm, y: p.y },
          colour,
          thickness,
        );
        line(
          rgba,
          image.width,
          image.height,
          { x: p.x, y: p.y - arm },
          { x: p.x, y: p.y + arm },
          colour,
          thickness,
        );
      }
    }
  }
}

/**
 * The percentage of a mark's label ("Calc cluster 87%" → "87%") printed just above the top-left of
 * its points (below when there is no room), each font cell `size` output pixels wide.
 */
export function drawLabel(rgba: Uint8Array, image: DisplayImage, mark: Mark, colour: Rgb): void {
  const text = /(\d+%)/.exec(mark.label ?? '')?.[1];
  if (!text || mark.points.length === 0) return;
  const size = Math.max(2, Math.round(image.width / 250));
  const left = Math.min(...mark.points.map((p) => p.x * image.scale));
  const top = Math.min(...mark.points.map((p) => p.y * image.scale));
  const bottom = Math.max(...mark.points.map((p) => p.y * image.scale));
  const height = glyphHeight * size;
  const y0 = top - height - size >= 0 ? top - height - size : bottom + size;
  for (const cell of textCells(text)) {
    for (let dy = 0; dy < size; dy++) {
      for (let dx = 0; dx < size; dx++) {
        plot(
          rgba,
          image.width,
          image.height,
          Math.floor(left + cell.x * size + dx),
          Math.floor(y0 + cell.y * size + dy),
          colour,
        );
      }
    }
  }
}
