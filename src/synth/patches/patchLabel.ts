export type PatchKind = 'positive' | 'negative' | 'hardNegative';

/** One line of labels.jsonl. */
export interface PatchLabel {
  index: number;
  tissue: string;
  kind: PatchKind;
  speckCount: number;
  /** Worst pathology of the clusters whose specks are in the patch; absent when none. */
  pathology?: 'benign' | 'malignant';
  /** What a hard negative is centred on. */
  hardNegativeSource?: 'vessel' | 'ligament' | 'skin' | 'pectoral' | 'detector' | 'realCluster';
  /** True when the patch holds a large benign form (popcorn, rim, vascular): labelled 1 like any calcification. */
  largeForm?: boolean;
}

export interface PatchMeta {
  version: 1;
  count: number;
  size: number;
  workingSpacingMm: number;
  seed: number;
  tissueSources: string[];
  generator: string;
  holdout: boolean;
  /** Share of each kind actually written. */
  kinds: Record<PatchKind, number>;
  targetValues: { background: 0; calcification: 1; ignore: 255 };
}
