import type { DetectionParameters } from '../../src/detect/detectionParameters';
import { numberFrom } from '../commandLine';

type NumericParameter = { [K in keyof DetectionParameters]: DetectionParameters[K] extends number ? K : never }[keyof DetectionParameters];

/** The post-processing settings given on the command line (flag → parameter), for trying instead of the defaults. */
export function parameterOverrides(
  option: (name: string) => string | undefined,
  flags: Record<string, NumericParameter>,
): Partial<DetectionParameters> {
  const overrides: Partial<DetectionParameters> = {};
  for (const [flag, parameter] of Object.entries(flags)) {
    const value = option(flag);
    if (value !== undefined) overrides[parameter] = numberFrom(flag, value);
  }
  return overrides;
}

/**
 * --max-speck-mm, --join-threshold, --split-mm, --split-dip, --split-components, --split-components-coarse, --split-min-peak, --split-min-peak-coarse, --split-min-mm,
 * --split-signal heatmap|centres, --min-specks and --min-specks-coarse: the speck-extraction and candidate settings that `eval` and
 * `train:cluster-filter` can try instead of the defaults (detectionParameters.ts).
 */
export function speckExtractionOverrides(option: (name: string) => string | undefined): Partial<DetectionParameters> {
  const overrides = parameterOverrides(option, {
    'max-speck-mm': 'maxSpeckDiameterMm',
    'join-threshold': 'speckJoinThreshold',
    'split-mm': 'speckSplitRadiusMm',
    'split-dip': 'speckSplitMinDipLogit',
    'split-components': 'minComponents',
    'split-components-coarse': 'minComponentsCoarse',
    'split-min-peak': 'speckSplitMinPeak',
    'split-min-peak-coarse': 'speckSplitMinPeakCoarse',
    'split-min-mm': 'speckSplitMinDiameterMm',
    'min-specks': 'minSpecks',
    'min-specks-coarse': 'minSpecksCoarse',
  });
  const signal = option('split-signal');
  if (signal !== undefined && signal !== 'heatmap' && signal !== 'centres')
    throw new Error(`--split-signal must be heatmap or centres, not "${signal}"`);
  if (signal) overrides.speckSplitSignal = signal;
  return overrides;
}
