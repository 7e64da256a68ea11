import type { Job } from 'bullmq';
import { analysisSeconds } from '../metrics/metrics';
import { logger } from '../log/logger';
import type { InstancePayload } from './instanceIntake';
import type { PipelineContext } from './pipelineContext';
import { failedImageFindings } from './failedImageFindings';
import { isFinalAttempt } from './finalAttempt';

/**
 * 'instance.analyse': analyse one image and keep its findings in the study state. Idempotent: an
 * image with findings already is not analysed again. An error is retried; on the last attempt the
 * image is recorded as failed, so its study's report never waits for it.
 */
export function analyseInstanceHandler(ctx: PipelineContext) {
  return async (payload: InstancePayload, job: Job): Promise<string> => {
    const known = await ctx.state.findings(payload.studyUid);
    const existing = known.get(payload.sopInstanceUid);
    if (existing) return `already ${existing.status}`;
    const started = process.hrtime.bigint();
    try {
      const findings = await ctx.analysis.analyse(payload.path, ctx.config);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      await ctx.state.saveFindings({ ...findings, analysisMs: findings.analysisMs ?? ms });
      analysisSeconds.observe({ outcome: findings.status }, ms / 1000);
      logger.info('image analysed', {
        studyUid: payload.studyUid,
        sopInstanceUid: payload.sopInstanceUid,
        status: findings.status,
        clusters: findings.clusters.length,
        ms: Math.round(ms),
      });
      return findings.status;
    } catch (err) {
      const reason = (err as Error).message;
      if (!isFinalAttempt(job)) throw err;
      await ctx.state.saveFindings(failedImageFindings(payload.studyUid, payload, `analysis failed: ${reason}`));
      analysisSeconds.observe({ outcome: 'failed' }, Number(process.hrtime.bigint() - started) / 1e9);
      throw err; // still dead-lettered, with the reason
    }
  };
}
