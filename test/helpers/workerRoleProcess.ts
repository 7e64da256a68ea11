/**
 * The worker role as a child process for kill and restart tests, configured by the usual MAMMOCAD_*
 * environment. With MAMMOCAD_TEST_ANALYSIS_MS set, analysis is a stand-in that takes that long and
 * finds nothing (the header still gives the image's geometry), so orchestration faults are tested
 * without the detector; reports are always the real src/report objects.
 */
import { startWorkerRole } from '../../src/cli/roles/worker';
import { requireRedisUrl, runRole } from '../../src/cli/roles/roleLifecycle';
import type { Analysis } from '../../src/pipeline/analysisAdapter';
import { readSourceHeader } from '../../src/pipeline/sourceHeader';
import { summariseStudy } from './summariseStub';

function standInAnalysis(ms: number): Analysis {
  return {
    analyse: async (file) => {
      await new Promise((r) => setTimeout(r, ms));
      const h = readSourceHeader(file) as Record<string, any>;
      const laterality = h.ImageLaterality === 'L' || h.ImageLaterality === 'R' ? h.ImageLaterality : undefined;
      return {
        studyUid: String(h.StudyInstanceUID),
        seriesUid: String(h.SeriesInstanceUID),
        sopInstanceUid: String(h.SOPInstanceUID),
        sopClassUid: String(h.SOPClassUID),
        status: 'analysed',
        rows: Number(h.Rows),
        columns: Number(h.Columns),
        ...(laterality ? { laterality } : {}),
        ...(h.ViewPosition ? { view: String(h.ViewPosition) } : {}),
        clusters: [],
        imageScore: 0,
        algorithm: { name: 'stand-in', version: '0' },
      };
    },
    summarise: summariseStudy,
  };
}

const ms = process.env.MAMMOCAD_TEST_ANALYSIS_MS;
runRole('worker', (config) =>
  startWorkerRole(config, requireRedisUrl(config, 'worker'), ms ? { analysis: standInAnalysis(Number(ms)) } : {}),
).catch((e: Error) => {
  process.stderr.write(`worker: ${e.message}\n`);
  process.exit(1);
});
