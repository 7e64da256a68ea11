import { storageCommitmentsTotal } from '../metrics/metrics';
import type { PipelineContext } from '../pipeline/pipelineContext';
import type { CommitmentRecord } from '../pipeline/studyStateStore';

/** Records a destination's commitment step for the study and counts it in the metrics. */
export async function recordCommitment(ctx: PipelineContext, studyUid: string, record: CommitmentRecord): Promise<void> {
  await ctx.state.recordCommitment(studyUid, record);
  storageCommitmentsTotal.inc({ destination: record.destination, outcome: record.outcome });
}
