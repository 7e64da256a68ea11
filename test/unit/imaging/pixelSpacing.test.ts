import { decidePixelSpacing } from '../../../src/imaging/pixelSpacing';

describe('decidePixelSpacing', () => {
  it('prefers Pixel Spacing (already corrected to the breast plane by the modality)', () => {
    expect(
      decidePixelSpacing(
        {
          numberOfFrames: 1,
          pixelSpacing: [0.07, 0.065],
          imagerPixelSpacing: [0.1, 0.1],
          estimatedRadiographicMagnificationFactor: 1.1,
        },
        0.1,
      ),
    ).toEqual({ spacingMm: [0.07, 0.065], source: 'pixelSpacing' });
  });

  it('divides Imager Pixel Spacing by the Estimated Radiographic Magnification Factor', () => {
    const d = decidePixelSpacing(
      { numberOfFrames: 1, imagerPixelSpacing: [0.1, 0.1], estimatedRadiographicMagnificationFactor: 1.25 },
      0.1,
    );
    expect(d.source).toBe('imagerPixelSpacingMagnified');
    expect(d.spacingMm[0]).toBeCloseTo(0.08, 12);
    expect(d.spacingMm[1]).toBeCloseTo(0.08, 12);
  });

  it('uses Imager Pixel Spacing as is without a factor', () => {
    expect(decidePixelSpacing({ numberOfFrames: 1, imagerPixelSpacing: [0.085, 0.085] }, 0.1)).toEqual({
      spacingMm: [0.085, 0.085],
      source: 'imagerPixelSpacing',
    });
  });

  it('falls back to the configured default (and says so)', () => {
    expect(decidePixelSpacing({ numberOfFrames: 1 }, 0.12)).toEqual({
      spacingMm: [0.12, 0.12],
      source: 'default',
    });
  });
});
