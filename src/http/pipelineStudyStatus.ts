import type Redis from 'ioredis';
import type { ImageFindings } from '../findings/types';
import { StudyStateStore, TrackedInstance } from '../pipeline/studyStateStore';
import { IndexedInstance, StudyIndex } from '../store/studyIndex';
import { InstanceStatus, StudyStatus, StudyStatusSource } from './studyStatus';

type RenderMarks = (imagePath: string, marksPath: string | undefined, maxWidth: number) => Promise<{ png: Buffer }>;

/**
 * The status page's view of Redis: the pipeline's study state (recent studies, phase, findings,
 * produced objects) joined with the receiver's study index (instance state, laterality and view).
 * Thumbnails are the report renderer's image with the marks of the GSPS (or the CAD SR) drawn on it.
 */
export function pipelineStudyStatusSource(
  redis: Redis,
  /** `off`: no thumbnails, and why (no token to protect them, or a receiver, whose event loop does no pixel work). */
  thumbnails: { render: RenderMarks } | { off: string } = { render: renderMarksOnDemand },
): StudyStatusSource {
  const state = new StudyStateStore(redis);
  const index = new StudyIndex(redis);

  async function studyStatus(studyUid: string): Promise<StudyStatus> {
    const [summary, tracked, indexed, findings, exports] = await Promise.all([
      state.summary(studyUid),
      state.instances(studyUid),
      index.getStudy(studyUid),
      state.findings(studyUid),
      state.exports(studyUid),
    ]);
    const instances = mergeInstances(tracked, indexed).map((sop) =>
      instanceStatus(sop, findings.get(sop), indexed.find((i) => i.sopInstanceUid === sop)),
    );
    const analysed = [...findings.values()].filter((f) => f.status === 'analysed');
    const lastChange = Math.max(summary?.reportedAt ?? 0, summary?.lastImageAt ?? 0, ...indexed.map((i) => i.updatedAt));
    return {
      studyUid,
      state: summary ? summary.phase + (summary.lastError ? ` (${summary.lastError})` : '') : 'received',
      updatedAt: lastChange > 0 ? new Date(lastChange).toISOString() : undefined,
      clusterCount: analysed.length > 0 ? analysed.reduce((n, f) => n + f.clusters.length, 0) : undefined,
      maxProbability: analysed.length > 0 ? Math.max(...analysed.map((f) => f.imageScore)) : undefined,
      instances,
      exports: exports.map((e) => ({ destination: e.destination, object: e.object, outcome: e.outcome, detail: e.detail || undefined })),
    };
  }

  return {
    async recentStudies(limit) {
      let uids = await state.recentStudies(limit);
      // A receiver-only deployment (no pipeline yet) has only the study index.
      if (uids.length === 0) uids = (await index.studies()).slice(-limit).reverse();
      return Promise.all(uids.map(studyStatus));
    },
    ...('render' in thumbnails ? { renderThumbnail: thumbnailOf(thumbnails.render), imageFile } : { thumbnailsOff: thumbnails.off }),
  };

  async function imageFile(studyUid: string, sopInstanceUid: string): Promise<string | undefined> {
    const tracked = (await state.instances(studyUid)).find((i) => i.sopInstanceUid === sopInstanceUid);
    return tracked?.path ?? (await index.getInstance(studyUid, sopInstanceUid))?.path;
  }

  function thumbnailOf(render: RenderMarks): NonNullable<StudyStatusSource['renderThumbnail']> {
    return async (studyUid, sopInstanceUid, maxSize) => {
      const imagePath = await imageFile(studyUid, sopInstanceUid);
      if (!imagePath) return undefined;
      const outputs = await state.outputs(studyUid);
      const marksPath = outputs.gsps ?? outputs.mammoCadSr;
      try {
        return (await render(imagePath, marksPath, maxSize)).png;
      } catch (err) {
        // Objects being rewritten (a re-run) or removed: show the image without marks rather than nothing.
        if (!marksPath) throw err;
        return (await render(imagePath, undefined, maxSize)).png;
      }
    };
  }
}

/** The renderer runs in a worker thread, started on the first thumbnail, not at start-up. */
const renderMarksOnDemand: RenderMarks = async (imagePath, marksPath, maxWidth) =>
  (await import('../report/render/renderMarksInWorker')).renderMarksInWorker(imagePath, marksPath, maxWidth);

function mergeInstances(tracked: TrackedInstance[], indexed: IndexedInstance[]): string[] {
  return [...new Set([...tracked.map((t) => t.sopInstanceUid), ...indexed.map((i) => i.sopInstanceUid)])].sort();
}

function instanceStatus(sopInstanceUid: string, findings?: ImageFindings, indexed?: IndexedInstance): InstanceStatus {
  const laterality = findings?.laterality ?? indexed?.laterality;
  const view = findings?.view ?? indexed?.view;
  const label = [laterality, view].filter(Boolean).join(' ') || undefined;
  if (findings) {
    if (findings.status === 'notAnalysed') return { sopInstanceUid, label, state: findings.failureReason ?? 'not analysed', notAnalysed: true };
    const failed = findings.status === 'failed';
    return {
      sopInstanceUid,
      label,
      state: failed ? `failed: ${findings.failureReason ?? 'unknown reason'}` : 'analysed',
      ...(failed && { notAnalysable: true }),
      clusterCount: failed ? undefined : findings.clusters.length,
      maxProbability: failed ? undefined : findings.imageScore,
    };
  }
  return { sopInstanceUid, label, state: indexed?.state ?? 'received' };
}
