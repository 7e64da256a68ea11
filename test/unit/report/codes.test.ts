import {
  calcificationDistributionCodes,
  calcificationTypeCodes,
  codes,
  mammographyViews,
} from '../../../src/report/codes';

describe('report codes', () => {
  test('rendering intents carry the full CID 6034 meanings', () => {
    expect(codes.presentationRequired).toEqual({
      value: '111150',
      scheme: 'DCM',
      meaning: 'Presentation Required: Rendering device is expected to present',
    });
    expect(codes.presentationOptional.meaning).toBe('Presentation Optional: Rendering device may present');
    expect(codes.notForPresentation.meaning).toBe(
      'Not for Presentation: Rendering device expected not to present',
    );
  });

  test('calcification findings use the SCT codes, never the retired DCM 111104/111105', () => {
    expect(codes.calcificationCluster).toEqual({
      value: '129769006',
      scheme: 'SCT',
      meaning: 'Calcification Cluster',
    });
    expect(codes.individualCalcification).toEqual({
      value: '129770007',
      scheme: 'SCT',
      meaning: 'Individual Calcification',
    });
    const all = [
      ...Object.values(codes),
      ...Object.values(calcificationTypeCodes),
      ...Object.values(calcificationDistributionCodes),
    ];
    expect(all.map((c) => c.value)).not.toEqual(expect.arrayContaining(['111104']));
    expect(all.map((c) => c.value)).not.toEqual(expect.arrayContaining(['111105']));
  });

  test('every morphology and distribution maps to its CID 6011 / 6013 code', () => {
    expect(calcificationTypeCodes.finePleomorphic).toEqual({
      value: '111344',
      scheme: 'DCM',
      meaning: 'Fine pleomorphic calcification',
    });
    expect(calcificationTypeCodes.fineLinearBranching.meaning).toBe(
      'Fine linear, branching (casting) calcification',
    );
    expect(calcificationTypeCodes.popcorn.value).toBe('129749001');
    expect(calcificationDistributionCodes.segmental).toEqual({
      value: '129768003',
      scheme: 'SCT',
      meaning: 'Segmental calcification distribution',
    });
    expect(Object.keys(calcificationDistributionCodes).sort()).toEqual([
      'diffuse',
      'grouped',
      'linear',
      'regional',
      'segmental',
    ]);
  });

  test('views and lateralities are the CID 4014 / 6023 SCT codes', () => {
    expect(mammographyViews.CC).toEqual({ value: '399162004', scheme: 'SCT', meaning: 'cranio-caudal' });
    expect(mammographyViews.MLO.value).toBe('399368009');
    expect(codes.leftBreast).toEqual({ value: '80248007', scheme: 'SCT', meaning: 'Left breast' });
    expect(codes.imagingProcedure).toEqual({
      value: '363679005',
      scheme: 'SCT',
      meaning: 'Imaging procedure',
    });
  });
});
