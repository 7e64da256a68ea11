import type { ImageFindings } from '../findings/types';
import type { TrackedInstance } from './studyStateStore';

/** The findings recorded for an image whose analysis gave up: no clusters, the reason kept. */
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
    algorithm: { name: 'mammocad', version: 'n/a' },
  };
}
