import {
  DEFAULT_DETECTION_PARAMETERS,
  speckExtractionOptions,
} from '../../../src/detect/detectionParameters';

describe('speck extraction options', () => {
  const params = {
    ...DEFAULT_DETECTION_PARAMETERS,
    speckSplitMinPeak: 0.2,
    speckSplitMinPeakCoarse: 0.3,
    coarseSpacingMm: 0.15,
  };

  it('splits at the digital threshold on images of 0.1 mm pixels or finer', () => {
    for (const spacing of [0.05, 0.07, 0.1, 0.15]) {
      const options = speckExtractionOptions(params, {
        workingSpacingMm: 0.07,
        originalSpacingMm: [spacing, spacing],
      });
      expect(options.splitMinPeak).toBe(0.2);
    }
  });

  it('splits at the coarse threshold on digitised film at 200 µm, read from the coarser axis', () => {
    expect(
      speckExtractionOptions(params, { workingSpacingMm: 0.07, originalSpacingMm: [0.2, 0.2] }).splitMinPeak,
    ).toBe(0.3);
    expect(
      speckExtractionOptions(params, { workingSpacingMm: 0.07, originalSpacingMm: [0.1, 0.2] }).splitMinPeak,
    ).toBe(0.3);
  });

  it('takes the working spacing for distances and the given threshold over the configured one', () => {
    const options = speckExtractionOptions(
      params,
      { workingSpacingMm: 0.07, originalSpacingMm: [0.1, 0.1] },
      0.6,
    );
    expect(options.spacingMm).toBe(0.07);
    expect(options.threshold).toBe(0.6);
    expect(
      speckExtractionOptions(params, { workingSpacingMm: 0.07, originalSpacingMm: [0.1, 0.1] }).threshold,
    ).toBe(params.speckThreshold);
  });
});
