import { IGNORE_LABEL } from '../tissue/realTissueWithLesions';
import type { PreparedImage } from '../../imaging/preparedImage';
import type { LesionSet } from '../lesions/lesionSet';

/** A landmark that makes a good hard negative: bright, elongated or edge-like, but no calcification. */
export interface HardNegativeLandmark {
  source: 'vessel' | 'ligament' | 'skin' | 'pectoral';
  /** Original pixel coordinates. */
  x: number;
  y: number;
}

export interface SceneSpeck {
  /** Original pixel coordinates. */
  x: number;
  y: number;
  clusterId: number | null;
  pathology?: 'benign' | 'malignant';
  /** True for popcorn, rim and vascular forms. */
  largeForm: boolean;
}

const LARGE_FORMS: ReadonlySet<string> = new Set(['popcorn', 'rim', 'vascular']);

/** The inserted specks of a scene with their cluster's pathology, in original pixel coordinates. */
export function sceneSpecks(lesions: LesionSet): SceneSpeck[] {
  const pathologyOf = new Map(lesions.clusters.map((c) => [c.id, c.pathology] as const));
  return lesions.inserted.map((s) => ({
    x: s.plan.x,
    y: s.plan.y,
    clusterId: s.plan.clusterId,
    pathology: s.plan.clusterId === null ? undefined : pathologyOf.get(s.plan.clusterId),
    largeForm: LARGE_FORMS.has(s.plan.type),
  }));
}

/**
 * One image, prepared exactly as the detector will see it, with the truth needed to cut patches:
 * a label map on the ORIGINAL grid (1 calcification, 255 ignore, 0 background), the specks and the
 * hard-negative landmarks.
 */
export interface PatchScene {
  tissue: string;
  prepared: PreparedImage;
  originalColumns: number;
  originalRows: number;
  labels: Uint8Array;
  specks: SceneSpeck[];
  landmarks: HardNegativeLandmark[];
}

export const TARGET = { background: 0, calcification: 1, ignore: IGNORE_LABEL } as const;
