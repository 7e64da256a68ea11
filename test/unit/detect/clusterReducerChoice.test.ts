import { configSchema } from '../../../src/config/schema';
import type { ClusterFilterModelFile } from '../../../src/detect/clusterFilter';
import {
  DEFAULT_DETECTION_PARAMETERS,
  detectionParametersFor,
} from '../../../src/detect/detectionParameters';
import { clusterReducerFor } from '../../../src/detect/detectionRuntime';

// Only identity matters here: which of the two reducers, with which floor, an image gets.
const fine = { kind: 'fine' } as unknown as ClusterFilterModelFile;
const coarse = { kind: 'coarse' } as unknown as ClusterFilterModelFile;

describe('cluster reducer choice', () => {
  const params = {
    ...DEFAULT_DETECTION_PARAMETERS,
    clusterFloor: 0.25,
    clusterFloorCoarse: 0.45,
    coarseSpacingMm: 0.15,
  };

  it('gives digital images (0.05-0.15 mm pixels) the fine reducer and its floor', () => {
    for (const spacing of [0.05, 0.07, 0.1, 0.15]) {
      const chosen = clusterReducerFor({ fine, coarse }, params, { originalSpacingMm: [spacing, spacing] });
      expect(chosen.model).toBe(fine);
      expect(chosen.floor).toBe(0.25);
    }
  });

  it('gives digitised film at 200 µm the coarse reducer and its floor, read from the coarser axis', () => {
    for (const originalSpacingMm of [
      [0.2, 0.2],
      [0.1, 0.2],
    ] as const) {
      const chosen = clusterReducerFor({ fine, coarse }, params, { originalSpacingMm });
      expect(chosen.model).toBe(coarse);
      expect(chosen.floor).toBe(0.45);
    }
  });

  it('inference.clusterFloorCoarse overrides the coarse floor only; unset keeps the committed one', () => {
    const defaults = detectionParametersFor(configSchema.parse({}));
    expect(defaults.clusterFloorCoarse).toBe(DEFAULT_DETECTION_PARAMETERS.clusterFloorCoarse);
    const site = detectionParametersFor(configSchema.parse({ inference: { clusterFloorCoarse: 0.6 } }));
    expect(site.clusterFloorCoarse).toBe(0.6);
    expect(site.clusterFloor).toBe(DEFAULT_DETECTION_PARAMETERS.clusterFloor);
  });
});
