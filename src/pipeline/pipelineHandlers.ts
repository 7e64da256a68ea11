import type { HandlerMap } from '../queue/jobQueue';
import type { PipelineContext } from './pipelineContext';
import { analyseInstanceHandler } from './analyseInstanceHandler';
import { reportStudyHandler } from './reportStudyHandler';
import { exportObjectHandler } from './exportObjectHandler';

/** The three stages' handlers, for JobQueue.process. */
export function pipelineHandlers(ctx: PipelineContext): HandlerMap {
  return {
    'instance.analyse': analyseInstanceHandler(ctx),
    'study.report': reportStudyHandler(ctx),
    'export.store': exportObjectHandler(ctx),
  };
}
