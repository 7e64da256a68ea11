import type { HandlerMap } from '../queue/jobQueue';
import type { PipelineContext } from './pipelineContext';
import { analyseInstanceHandler } from './analyseInstanceHandler';
import { reportStudyHandler } from './reportStudyHandler';
import { exportObjectHandler } from './exportObjectHandler';
import { applyRejectionNoteHandler } from '../rejection/applyRejectionNoteHandler';
import { commitmentResultHandler } from '../commitment/commitmentResultHandler';
import { commitmentTimeoutHandler } from '../commitment/commitmentTimeoutHandler';
import { requestCommitmentHandler } from '../commitment/requestCommitmentHandler';

/** Every job's handler (three stages), for JobQueue.process. */
export function pipelineHandlers(ctx: PipelineContext): HandlerMap {
  return {
    'instance.analyse': analyseInstanceHandler(ctx),
    'study.report': reportStudyHandler(ctx),
    'rejection.apply': applyRejectionNoteHandler(ctx),
    'export.store': exportObjectHandler(ctx),
    'export.commit': requestCommitmentHandler(ctx),
    'export.commitmentResult': commitmentResultHandler(ctx),
    'export.commitmentTimeout': commitmentTimeoutHandler(ctx),
  };
}
