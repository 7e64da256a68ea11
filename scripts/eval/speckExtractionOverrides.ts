import type { DetectionParameters } from '../../src/detect/detectionParameters';

/**
 * --max-speck-mm, --split-mm, --split-dip and --split-components: the speck-extraction settings
 * that `eval` and `train:cluster-filter` can try instead of the defaults (detectionParameters.ts).
 */
export function speckExtractionOverrides(option: (name: string) => string | undefined): Partial<DetectionParameters> {
  const overrides: Partial<DetectionParameters> = {};
  const maxSpeck = option('max-speck-mm');
  if (maxSpeck) overrides.maxSpeckDiameterMm = Number(maxSpeck);
  const split = option('split-mm');
  if (split) overrides.speckSplitRadiusMm = Number(split);
  const dip = option('split-dip');
  if (dip) overrides.speckSplitMinDipLogit = Number(dip);
  const components = option('split-components');
  if (components) overrides.minComponents = Number(components);
  return overrides;
}
