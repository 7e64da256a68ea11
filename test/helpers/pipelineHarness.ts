import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { Config, configSchema } from '../../src/config/schema';
import type { ImageFindings, StudyFindings } from '../../src/findings/types';
import { JobQueue } from '../../src/queue/jobQueue';
import { queueSettingsFrom } from '../../src/queue/retryPolicy';
import { startEmbeddedRedis, EmbeddedRedis } from '../../src/redis/embeddedRedis';
import type { Analysis } from '../../src/pipeline/analysisAdapter';
import type { ReportWriter, ReportWriterOptions } from '../../src/pipeline/reportAdapter';
import type { PipelineContext } from '../../src/pipeline/pipelineContext';
import { StudyStateStore } from '../../src/pipeline/studyStateStore';
import { intakeInstance } from '../../src/pipeline/instanceIntake';
import { startPipelineWorkers } from '../../src/pipeline/startPipelineWorkers';
import { writeTestInstance, TestInstance } from './dicomFiles';

/** Deterministic stand-in UIDs of the three objects of a study (like the real report's). */
export function stubObjectUid(studyUid: string, object: string): string {
  let h = 0n;
  for (const c of `${studyUid}/${object}`) h = (h * 131n + BigInt(c.charCodeAt(0))) % 10n ** 30n;
  return `2.25.${h}`;
}

/**
 * Stage engines for pipeline tests that are about orchestration, not image content: the analyser
 * reports one cluster per image (or throws for files named in `failOn`), the writer writes three small
 * objects with stable UIDs whose series description lists the images covered.
 */
export function stubEngines(
  opts: { failOn?: Set<string>; analysisMs?: number; calls?: string[]; reportOptions?: ReportWriterOptions[] } = {},
): { analysis: Analysis; writeReports: ReportWriter } {
  const analysis: Analysis = {
    analyse: async (file) => {
      opts.calls?.push(`${process.pid}:${path.basename(file)}`);
      if (opts.analysisMs) await new Promise((r) => setTimeout(r, opts.analysisMs));
      if (opts.failOn?.has(path.basename(file))) throw new Error(`cannot decode ${path.basename(file)}`);
      const sop = path.basename(file, '.dcm');
      return {
        studyUid: 'filled-below',
        seriesUid: '',
        sopInstanceUid: sop,
        sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2',
        status: 'analysed',
        rows: 16,
        columns: 16,
        clusters: [],
        imageScore: 0.5,
        algorithm: { name: 'stub', version: '0' },
      } satisfies ImageFindings;
    },
    summarise: (images) =>
      ({ studyUid: images[0].studyUid, images, breastScores: {}, examScore: Math.max(...images.map((i) => i.imageScore)) }) satisfies StudyFindings,
  };
  const writeReports: ReportWriter = async (study, headers, outDir, reportOptions) => {
    opts.reportOptions?.push(reportOptions);
    fs.mkdirSync(outDir, { recursive: true });
    const studyUid = String(headers[0].StudyInstanceUID);
    const covered = study.images.map((i) => `${i.sopInstanceUid}=${i.status}`).sort().join(' ');
    const out: Record<string, string> = {};
    const classes = { mammoCadSr: '1.2.840.10008.5.1.4.1.1.88.50', tid1500Sr: '1.2.840.10008.5.1.4.1.1.88.33', gsps: '1.2.840.10008.5.1.4.1.1.11.1' };
    for (const [object, sopClass] of Object.entries(classes)) {
      const written = writeTestInstance(outDir, sopClass, {
        studyUid,
        sopInstanceUid: stubObjectUid(studyUid, object),
        seriesUid: stubObjectUid(studyUid, `${object}-series`),
        modality: object === 'gsps' ? 'PR' : 'SR',
        description: covered.slice(0, 64),
      });
      out[object] = written.file;
    }
    return out;
  };
  return { analysis, writeReports };
}

export function testConfig(dataDir: string, overrides: Record<string, any> = {}): Config {
  const pipeline = { settleSeconds: 1, attempts: 3, backoffMs: 200, stalledSeconds: 2, ...(overrides.pipeline ?? {}) };
  // Exports retry as the other jobs do unless a test says otherwise: seconds, not the hours of production.
  const retry = { attempts: pipeline.attempts, firstDelaySeconds: pipeline.backoffMs / 1000, maxDelaySeconds: 60 };
  return configSchema.parse({
    dataDir,
    pipeline,
    export: { timeoutSeconds: 5, retry, ...(overrides.export ?? {}) },
    worker: overrides.worker ?? {},
    report: overrides.report ?? {},
  });
}

export interface PipelineHarness {
  dir: string;
  redis: EmbeddedRedis;
  client: Redis;
  ctx: PipelineContext;
  /** Extra JobQueues (other "processes") started by addWorker. */
  extraQueues: JobQueue[];
  addWorker(ctxOverrides?: Partial<PipelineContext>): JobQueue;
  /** MG source images of one study, written as the spool would hold them. */
  writeStudy(count: number): { studyUid: string; images: TestInstance[] };
  stop(): Promise<void>;
}

export async function startPipelineHarness(
  configFor: (dir: string) => Config,
  engines: { analysis: Analysis; writeReports: ReportWriter },
  opts: { startWorkers?: boolean } = {},
): Promise<PipelineHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-pipeline-'));
  const redis = await startEmbeddedRedis(path.join(dir, 'redis'));
  const client = new Redis(redis.url, { maxRetriesPerRequest: null });
  const config = configFor(dir);
  const queue = new JobQueue(redis.url, queueSettingsFrom(config));
  const state = new StudyStateStore(client);
  // The stub analyser does not know the study: fill the ids in from the spool path.
  const analysis: Analysis = {
    analyse: async (file, cfg) => {
      const f = await engines.analysis.analyse(file, cfg);
      return { ...f, studyUid: path.basename(path.dirname(file)) };
    },
    summarise: engines.analysis.summarise,
  };
  const ctx: PipelineContext = { config, queue, state, analysis, writeReports: engines.writeReports };
  if (opts.startWorkers !== false) startPipelineWorkers(ctx);
  const extraQueues: JobQueue[] = [];
  return {
    dir,
    redis,
    client,
    ctx,
    extraQueues,
    addWorker: (over = {}) => {
      const q = new JobQueue(redis.url, queueSettingsFrom(config));
      extraQueues.push(q);
      startPipelineWorkers({ ...ctx, ...over, queue: q });
      return q;
    },
    writeStudy: (count) => {
      const studyUid = `2.25.${Date.now()}${Math.floor(Math.random() * 1000)}`;
      const studyDir = path.join(dir, 'spool', studyUid);
      fs.mkdirSync(studyDir, { recursive: true });
      const images = Array.from({ length: count }, () =>
        writeTestInstance(studyDir, '1.2.840.10008.5.1.4.1.1.1.2', { studyUid, modality: 'MG', withPixels: true }),
      );
      return { studyUid, images };
    },
    stop: async () => {
      await Promise.all(extraQueues.map((q) => q.close()));
      await queue.close();
      client.disconnect();
      await redis.stop();
    },
  };
}

/** Hands every test instance of a study to the pipeline, as the receiver does after a C-STORE. */
export async function intakeAll(h: PipelineHarness, studyUid: string, images: TestInstance[], callingAe?: string): Promise<void> {
  for (const img of images) {
    await intakeInstance(h.ctx.queue, h.ctx.state, h.ctx.config.pipeline.settleSeconds * 1000, {
      studyUid,
      seriesUid: img.seriesUid,
      sopInstanceUid: img.sopInstanceUid,
      sopClassUid: img.sopClassUid,
      path: img.file,
      ...(callingAe ? { callingAe } : {}),
    });
  }
}
