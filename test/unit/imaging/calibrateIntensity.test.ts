import { calibrateIntensity } from '../../../src/imaging/calibrateIntensity';
import type { DecodedImage, ImageHeader } from '../../../src/imaging';

function decoded(pixels: DecodedImage['pixels'], bitsStored: number, signed = false): DecodedImage {
  return { rows: 1, columns: pixels.length, pixels, bitsStored, signed };
}

const base: ImageHeader = {
  numberOfFrames: 1,
  photometricInterpretation: 'MONOCHROME2',
  presentationIntentType: 'FOR PRESENTATION',
};

describe('calibrateIntensity', () => {
  it('passes MONOCHROME2 For Presentation values through the rescale', () => {
    const out = calibrateIntensity(decoded(Uint16Array.from([0, 100, 4095]), 12), {
      ...base,
      rescaleSlope: 2,
      rescaleIntercept: -10,
    });
    expect(Array.from(out)).toEqual([-10, 190, 8180]);
  });

  it('negates MONOCHROME1 so more attenuating is higher', () => {
    const out = calibrateIntensity(decoded(Uint16Array.from([0, 1000, 4095]), 12), {
      ...base,
      photometricInterpretation: 'MONOCHROME1',
    });
    expect(Array.from(out)).toEqual([-0, -1000, -4095]);
    expect(out[0]).toBeGreaterThan(out[2]); // stored 0 is displayed white in MONOCHROME1: dense
  });

  it('takes the log of For Processing (dose-linear) values and orders them by attenuation', () => {
    // MONOCHROME1 raw data: more dose (higher value) = less tissue in the beam.
    const header: ImageHeader = {
      ...base,
      presentationIntentType: 'FOR PROCESSING',
      photometricInterpretation: 'MONOCHROME1',
    };
    const out = calibrateIntensity(decoded(Uint16Array.from([100, 1000, 10000, 0]), 16), header);
    expect(out[0]).toBeCloseTo(-Math.log(100), 5);
    expect(out[1]).toBeCloseTo(-Math.log(1000), 5);
    expect(out[2]).toBeCloseTo(-Math.log(10000), 5);
    expect(out[3]).toBeCloseTo(0, 5); // ≤ 1 clamped to log(1)
    // Equal dose ratios give equal steps (log is what makes raw behave like presentation data).
    expect(out[0] - out[1]).toBeCloseTo(out[1] - out[2], 5);
  });

  it('handles signed stored values (negative values through the table offset)', () => {
    const out = calibrateIntensity(decoded(Int16Array.from([-32768, -1, 0, 32767]), 16, true), {
      ...base,
      rescaleIntercept: 5,
    });
    expect(Array.from(out)).toEqual([-32763, 4, 5, 32772]);
  });

  it('handles 32-bit stored values without a table', () => {
    const out = calibrateIntensity(decoded(Int32Array.from([-100000, 7, 200000]), 20, true), {
      ...base,
      rescaleSlope: 0.5,
    });
    expect(Array.from(out)).toEqual([-50000, 3.5, 100000]);
  });

  it('applies a Modality LUT Sequence, clamping below and above its range', () => {
    const header: ImageHeader = {
      ...base,
      rescaleSlope: 100, // ignored: the LUT takes precedence
      modalityLut: {
        entryCount: 4,
        firstStoredValue: 10,
        bitsPerEntry: 16,
        data: Uint16Array.from([5, 50, 500, 5000]),
      },
    };
    const out = calibrateIntensity(decoded(Uint16Array.from([0, 10, 11, 12, 13, 99]), 12), header);
    expect(Array.from(out)).toEqual([5, 5, 50, 500, 5000, 5000]);
  });
});
