import { ALGORITHM_IDENTITY } from '../detect/algorithmIdentity';
import type { ImageFindings } from '../findings/types';
import type { TrackedInstance } from './studyStateStore';

/**
 * The findings recorded for an image whose analysis gave up: no clusters, the reason kept. They name
 * the algorithm that tried, as analyseImage's own failures do: the report UIDs derive from the
 * study's algorithm identities, so a retried image must not change them (the PACS would keep both).
 */
export function failedImageFindings(studyUid: string, instance: Pick<TrackedInstance, 'sopInstanceUid' | 'seriesUid' | 'sopClassUid'>, reason: string): ImageFindings {
  return {
    studyUid,
    seriesUid: instance.seriesUid,
    sopInstanceUid: instance.sopInstanceUid,
    sopClassUid: instance.sopClassUid,
    status: 'failed',
    failureReason: reason,
    rows: 0,
    columns: 0,
    clusters: [],
    imageScore: 0,
    algorithm: { ...ALGORITHM_IDENTITY },
  };
}
