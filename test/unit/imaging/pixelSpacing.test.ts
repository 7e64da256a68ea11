import { decidePixelSpacing, implausibleField } from '../../../src/imaging/pixelSpacing';

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

describe('implausibleField', () => {
  it('accepts the fields of real detectors and films', () => {
    expect(implausibleField(4096, 3328, [0.07, 0.07])).toBeNull(); // 24 x 29 cm FFDM
    expect(implausibleField(3328, 2560, [0.07, 0.07])).toBeNull(); // 18 x 24 cm FFDM
    expect(implausibleField(4664, 3064, [0.05, 0.05])).toBeNull(); // 18 x 24 cm film at 50 um
  });

  it('names the size when a spacing makes the image larger than any mammography field', () => {
    // The NEMA MG1 film (no spacing in its header) at the 0.1 mm default: 306 x 466 mm.
    expect(implausibleField(4664, 3064, [0.1, 0.1])).toBe(
      '306 x 466 mm at 0.1 mm per pixel is larger than any mammography detector or film (24 x 30 cm)',
    );
    expect(implausibleField(2800, 2800, [0.1, 0.1])).toMatch(/^280 x 280 mm/); // square, both sides over 26 cm
  });
});
