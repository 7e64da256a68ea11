import type { Config } from '../config/schema';
import type { JobQueue } from '../queue/jobQueue';
import type { Analysis } from './analysisAdapter';
import type { ReportWriter } from './reportAdapter';
import type { StudyStateStore } from './studyStateStore';
import type { StudyIndex } from '../store/studyIndex';

/** What every pipeline stage needs: configuration, the queue, the study state and the stage engines. */
export interface PipelineContext {
  config: Config;
  queue: JobQueue;
  state: StudyStateStore;
  analysis: Analysis;
  writeReports: ReportWriter;
  /** The receiver's per-study index; kept in step (received → analysed/failed) for the spool scan. */
  index?: StudyIndex;
}
