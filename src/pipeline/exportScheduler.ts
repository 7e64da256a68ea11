import { destinationsForStudy } from '../export/destinations';
import { jobIdFor } from '../queue/jobQueue';
import type { ExportedObjectKind, JobPayloads, ReportObjectKind } from '../queue/jobTypes';
import type { ExportRecord } from './studyStateStore';
import type { PipelineContext } from './pipelineContext';

export function exportJobId(studyUid: string, object: ExportedObjectKind, destination: string, fingerprint: string): string {
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
      await queueExport(ctx, { studyUid, object, path: file, destination: destination.label, fingerprint }, records);
    }
  }
  return count;
}

/** Records one export as queued (unless `records` has it already) and queues its job, once per build. */
export async function queueExport(
  ctx: PipelineContext,
  payload: Required<JobPayloads['export.store']>,
  records: readonly ExportRecord[],
): Promise<void> {
  const { studyUid, object, destination, fingerprint } = payload;
  if (!records.some((r) => r.object === object && r.destination === destination && r.fingerprint === fingerprint)) {
    await ctx.state.recordExport(studyUid, { object, destination, fingerprint, outcome: 'queued', detail: '', at: Date.now() });
  }
  await ctx.queue.add('export.store', payload, { jobId: exportJobId(studyUid, object, destination, fingerprint) });
}

/** Sends one export of a build again (the destination lost it): its finished job is replaced and its record set back to queued. */
export async function requeueExport(ctx: PipelineContext, payload: Required<JobPayloads['export.store']>, why: string): Promise<void> {
  const { studyUid, object, destination, fingerprint } = payload;
  const jobId = exportJobId(studyUid, object, destination, fingerprint);
  await (await ctx.queue.getJob('export.store', jobId))?.remove().catch(() => undefined);
  await ctx.state.recordExport(studyUid, { object, destination, fingerprint, outcome: 'queued', detail: why, at: Date.now() });
  await ctx.queue.add('export.store', payload, { jobId });
}
