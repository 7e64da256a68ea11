import type { DecodedImage, ImageHeader } from '../../../src/imaging';

export interface SyntheticImageOptions {
  rows: number;
  columns: number;
  spacingMm?: number;
  chestWall?: 'left' | 'right';
  laterality?: 'L' | 'R';
  patientOrientation?: [string, string];
  /** Gaussian specks (original pixel coordinates of their centres, continuous) added on the tissue. */
  specks?: { x: number; y: number; sigma: number; amplitude: number }[];
  /** A bright rectangle away from the breast (a burned-in label). */
  label?: { x: number; y: number; width: number; height: number };
  tissue?: number;
  background?: number;
}

/**
 * A 12-bit MONOCHROME2 For Presentation image in memory: a flat half-ellipse breast against one side,
 * dark background, optional Gaussian specks and a label. Flat tissue keeps speck centroids exact.
 */
export function syntheticDecodedImage(o: SyntheticImageOptions): {
  decoded: DecodedImage;
  header: ImageHeader;
} {
  const tissue = o.tissue ?? 2000;
  const background = o.background ?? 100;
  const pixels = new Uint16Array(o.rows * o.columns);
  const cy = o.rows / 2;
  const ry = o.rows * 0.45;
  const rx = o.columns * 0.75;
  for (let y = 0; y < o.rows; y++) {
    for (let x = 0; x < o.columns; x++) {
      const xc = x + 0.5;
      const fromWall = o.chestWall === 'right' ? o.columns - xc : xc;
      const d = (fromWall / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2;
      let v = d < 1 ? tissue : background;
      for (const s of o.specks ?? []) {
        v += s.amplitude * Math.exp(-((xc - s.x) ** 2 + (y + 0.5 - s.y) ** 2) / (2 * s.sigma * s.sigma));
      }
      if (
        o.label &&
        x >= o.label.x &&
        x < o.label.x + o.label.width &&
        y >= o.label.y &&
        y < o.label.y + o.label.height
      )
        v = 4000;
      pixels[y * o.columns + x] = Math.round(Math.min(4095, v));
    }
  }
  const spacing = o.spacingMm ?? 0.1;
  return {
    decoded: { rows: o.rows, columns: o.columns, pixels, bitsStored: 12, signed: false },
    header: {
      rows: o.rows,
      columns: o.columns,
      bitsAllocated: 16,
      bitsStored: 12,
      highBit: 11,
      pixelRepresentation: 0,
      samplesPerPixel: 1,
      photometricInterpretation: 'MONOCHROME2',
      numberOfFrames: 1,
      presentationIntentType: 'FOR PRESENTATION',
      pixelSpacing: [spacing, spacing],
      laterality: o.laterality,
      patientOrientation: o.patientOrientation,
    },
  };
}
