import type { GroundTruthCluster, GroundTruthSpeck } from '../findings/groundTruth';
import type { AttenuationImage } from './attenuationImage';
import type { MammoView } from './dicom/mammoView';
import { gradientBreast } from './tissue/gradientBreast';

/** One synthetic view before image formation: its attenuation map and what was put into it. */
export interface SyntheticMammogram {
  image: AttenuationImage;
  tissue: string;
  specks: GroundTruthSpeck[];
  clusters: GroundTruthCluster[];
}

export interface MammogramRequest {
  view: MammoView;
  rows: number;
  columns: number;
  spacingMm: number;
  seed: number;
}

export type MammogramSynthesizer = (request: MammogramRequest) => SyntheticMammogram;

/** Breast-shaped gradient, no lesions: the first, fastest content. */
export const gradientMammogram: MammogramSynthesizer = (request) => ({
  image: gradientBreast(request.view, request.columns, request.rows, request.spacingMm, request.seed),
  tissue: 'gradient',
  specks: [],
  clusters: [],
});
