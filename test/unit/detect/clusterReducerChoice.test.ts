import { configSchema } from '../../../src/config/schema';
import type { ClusterFilterModelFile } from '../../../src/detect/clusterFilter';
import {
  DEFAULT_DETECTION_PARAMETERS,
  detectionParametersFor,
} from '../../../src/detect/detectionParameters';
import { clusterReducerFor } from '../../../src/detect/detectionRuntime';

// Only identity matters here: which of the two reducers, with which floor and fewest specks, an image gets.
const fine = { kind: 'fine' } as unknown as ClusterFilterModelFile;
const coarse = { kind: 'coarse' } as unknown as ClusterFilterModelFile;

describe('cluster reducer choice', () => {
  const params = {
    ...DEFAULT_DETECTION_PARAMETERS,
    clusterFloor: 0.25,
    clusterFloorCoarse: 0.45,
    minSpecks: 2,
    minSpecksCoarse: 4,
    minComponents: 1,
    minComponentsCoarse: 3,
    coarseSpacingMm: 0.15,
  };

  it('gives digital images (0.05-0.15 mm pixels) the fine reducer, its floor and its candidate rule', () => {
    for (const spacing of [0.05, 0.07, 0.1, 0.15]) {
      const chosen = clusterReducerFor({ fine, coarse }, params, { originalSpacingMm: [spacing, spacing] });
      expect(chosen).toEqual({ model: fine, floor: 0.25, minSpecks: 2, minComponents: 1 });
    }
  });

  it("gives film digitised finer (Conversion Type DF) the fine reducer without its speck-stage blend, at the reducer's own floor", () => {
    const blended = { kind: 'fine', training: { floor: 0.41 }, stage: { floor: 0.3 } } as unknown as ClusterFilterModelFile;
    const digital = clusterReducerFor({ fine: blended, coarse }, params, { originalSpacingMm: [0.05, 0.05], header: {} });
    expect(digital).toEqual({ model: blended, floor: 0.25, minSpecks: 2, minComponents: 1 });
    const film = clusterReducerFor({ fine: blended, coarse }, params, { originalSpacingMm: [0.05, 0.05], header: { conversionType: 'DF' } });
    expect(film).toEqual({ model: { kind: 'fine', training: { floor: 0.41 } }, floor: 0.41, minSpecks: 2, minComponents: 1 });
    // Without a blend a DF image at digital spacing is a digital image, as before 0.3.21.
    expect(clusterReducerFor({ fine, coarse }, params, { originalSpacingMm: [0.05, 0.05], header: { conversionType: 'DF' } }).model).toBe(fine);
  });

  it('gives digitised film at 200 µm the coarse reducer, its floor and its candidate rule, read from the coarser axis', () => {
    for (const originalSpacingMm of [
      [0.2, 0.2],
      [0.1, 0.2],
    ] as const) {
      const chosen = clusterReducerFor({ fine, coarse }, params, { originalSpacingMm });
      expect(chosen).toEqual({ model: coarse, floor: 0.45, minSpecks: 4, minComponents: 3 });
    }
  });

  it('inference.clusterFloorCoarse overrides the coarse floor only; unset keeps the committed one', () => {
    const defaults = detectionParametersFor(configSchema.parse({}));
    expect(defaults.clusterFloorCoarse).toBe(DEFAULT_DETECTION_PARAMETERS.clusterFloorCoarse);
    const site = detectionParametersFor(configSchema.parse({ inference: { clusterFloorCoarse: 0.6 } }));
    expect(site.clusterFloorCoarse).toBe(0.6);
    expect(site.clusterFloor).toBe(DEFAULT_DETECTION_PARAMETERS.clusterFloor);
  });

  it('inference.clusterMinSpecks and clusterMinSpecksCoarse set each kind apart; unset keeps the committed sizes', () => {
    const defaults = detectionParametersFor(configSchema.parse({}));
    expect([defaults.minSpecks, defaults.minSpecksCoarse]).toEqual([DEFAULT_DETECTION_PARAMETERS.minSpecks, DEFAULT_DETECTION_PARAMETERS.minSpecksCoarse]);
    const film = detectionParametersFor(configSchema.parse({ inference: { clusterMinSpecksCoarse: 5 } }));
    expect([film.minSpecks, film.minSpecksCoarse]).toEqual([DEFAULT_DETECTION_PARAMETERS.minSpecks, 5]);
    const digital = detectionParametersFor(configSchema.parse({ inference: { clusterMinSpecks: 4 } }));
    expect([digital.minSpecks, digital.minSpecksCoarse]).toEqual([4, DEFAULT_DETECTION_PARAMETERS.minSpecksCoarse]);
    expect(() => configSchema.parse({ inference: { clusterMinSpecksCoarse: 1 } })).toThrow();
  });
});
