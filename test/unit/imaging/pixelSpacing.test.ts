import { decidePixelSpacing, implausibleField, isAssumedSpacing } from '../../../src/imaging/pixelSpacing';

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

  it("uses a digitised film's Nominal Scanned Pixel Spacing (the sampling on the film)", () => {
    expect(
      decidePixelSpacing(
        { numberOfFrames: 1, nominalScannedPixelSpacing: [0.05, 0.05], conversionType: 'DF' },
        0.1,
      ),
    ).toEqual({ spacingMm: [0.05, 0.05], source: 'nominalScannedPixelSpacing' });
  });

  // NEMA's MG1 (DDSM, a Lumisys digitiser): Conversion Type DF and Spatial Resolution .05, nothing else.
  const mg1 = {
    numberOfFrames: 1,
    rows: 4664,
    columns: 3064,
    conversionType: 'DF',
    spatialResolutionMm: 0.05,
  };

  it('reads a digitised film without spacing attributes at its Spatial Resolution, as an assumption', () => {
    const d = decidePixelSpacing(mg1, 0.1);
    expect(d).toEqual({ spacingMm: [0.05, 0.05], source: 'spatialResolution' });
    expect(isAssumedSpacing(d.source)).toBe(true);
  });

  it('keeps the default when the Spatial Resolution cannot be a film sampling', () => {
    // Not digitised film: a resolution is not a sampling interval.
    expect(decidePixelSpacing({ ...mg1, conversionType: 'WSD' }, 0.1).source).toBe('default');
    // Outside a digitiser's range.
    expect(decidePixelSpacing({ ...mg1, spatialResolutionMm: 0.5 }, 0.1).source).toBe('default');
    // The field it gives is larger than any film: 0.1 mm makes MG1 306 x 466 mm.
    expect(decidePixelSpacing({ ...mg1, spatialResolutionMm: 0.1 }, 0.05)).toEqual({
      spacingMm: [0.05, 0.05],
      source: 'default',
    });
    // Unknown size: the field cannot be checked.
    expect(
      decidePixelSpacing({ numberOfFrames: 1, conversionType: 'DF', spatialResolutionMm: 0.05 }, 0.1).source,
    ).toBe('default');
  });

  it('prefers any spacing attribute to the Spatial Resolution', () => {
    expect(decidePixelSpacing({ ...mg1, imagerPixelSpacing: [0.042, 0.042] }, 0.1).source).toBe(
      'imagerPixelSpacing',
    );
  });

  it('falls back to the configured default (and says so)', () => {
    expect(decidePixelSpacing({ numberOfFrames: 1 }, 0.12)).toEqual({
      spacingMm: [0.12, 0.12],
      source: 'default',
    });
    expect(isAssumedSpacing('default')).toBe(true);
    expect(isAssumedSpacing('imagerPixelSpacing')).toBe(false);
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
