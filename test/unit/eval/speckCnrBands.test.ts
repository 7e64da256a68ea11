import { speckSensitivityByCnrBand } from '../../../scripts/eval/speckCnrBands';

describe('speckSensitivityByCnrBand', () => {
  it('splits specks of at least 0.2 mm into CNR bands with the share found', () => {
    const bands = speckSensitivityByCnrBand([
      { cnr: 3.2, diameterMm: 0.3, found: true },
      { cnr: 4.4, diameterMm: 0.25, found: false },
      { cnr: 4.5, diameterMm: 0.2, found: true }, // a band's lower edge belongs to it
      { cnr: 12, diameterMm: 0.5, found: true },
      { cnr: 3.5, diameterMm: 0.15, found: true }, // below 0.2 mm: left out
      { cnr: 1.2, diameterMm: 0.4, found: false }, // below the first band: left out
    ]);
    expect(bands).toEqual([
      { cnr: '1.5-3', specks: 0, sensitivity: null },
      { cnr: '3-4.5', specks: 2, sensitivity: 0.5 },
      { cnr: '4.5-7', specks: 1, sensitivity: 1 },
      { cnr: '7+', specks: 1, sensitivity: 1 },
    ]);
  });

  it('takes another size floor', () => {
    const bands = speckSensitivityByCnrBand([{ cnr: 3.5, diameterMm: 0.15, found: false }], 0.1);
    expect(bands[1]).toEqual({ cnr: '3-4.5', specks: 1, sensitivity: 0 });
  });
});
