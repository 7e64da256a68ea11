import { destinationsForStudy } from '../export/destinations';
import { jobIdFor } from '../queue/jobQueue';
import type { ReportObjectKind } from '../queue/jobTypes';
import type { PipelineContext } from './pipelineContext';

export function exportJobId(studyUid: string, object: ReportObjectKind, destination: string, fingerprint: string): string {
  return jobIdFor('export.store', `${studyUid}-${object}-${destination}-${fingerprint}`);
}

/**
 * One 'export.store' job per destination and object of this build. Job ids carry the fingerprint, so
 * running this again for the same build adds nothing, and a new build exports afresh.
 */
export async function scheduleExports(
  ctx: PipelineContext,
  studyUid: string,
  fingerprint: string,
  outputs: Partial<Record<ReportObjectKind, string>>,
  callingAe?: string,
): Promise<number> {
  const records = await ctx.state.exports(studyUid);
  let count = 0;
  for (const destination of destinationsForStudy(ctx.config.export, callingAe)) {
    for (const object of destination.objects) {
      const file = outputs[object];
      if (!file) continue;
      count += 1;
      const known = records.find((r) => r.object === object && r.destination === destination.label && r.fingerprint === fingerprint);
      if (!known) {
        await ctx.state.recordExport(studyUid, { object, destination: destination.label, fingerprint, outcome: 'queued', detail: '', at: Date.now() });
      }
      await ctx.queue.add(
        'export.store',
        { studyUid, object, path: file, destination: destination.label, fingerprint },
        { jobId: exportJobId(studyUid, object, destination.label, fingerprint) },
      );
    }
  }
  return count;
}
