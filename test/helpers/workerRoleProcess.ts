/**
 * The worker role as a child process for kill and restart tests, configured by the usual MAMMOCAD_*
 * environment. With MAMMOCAD_TEST_ANALYSIS_MS set, analysis is a stand-in: it waits that long, really
 * decodes the image (so an undecodable one fails as in production) and detects nothing. Orchestration
 * and faults are thus tested without the detector model; reports are always the real src/report objects.
 * With MAMMOCAD_HTTP_PORT set it serves the role's HTTP endpoints (/metrics) as `mammocad worker` does.
 */
import { startWorkerRole } from '../../src/cli/roles/worker';
import { serveRoleHttp } from '../../src/http/roleHttp';
import { requireRedisUrl, runRole } from '../../src/cli/roles/roleLifecycle';
import type { Analysis } from '../../src/pipeline/analysisAdapter';
import { readSourceHeader } from '../../src/pipeline/sourceHeader';
import { prepareImage } from '../../src/imaging/prepareImage';
import { summariseStudy } from './summariseStub';

function standInAnalysis(ms: number): Analysis {
  return {
    analyse: async (file, config) => {
      await new Promise((r) => setTimeout(r, ms));
      // Real decoding (an undecodable image fails as in production), no detection.
      const prepared = await prepareImage(file, config.imaging);
      const h = readSourceHeader(file) as Record<string, any>;
      const identity = {
        studyUid: String(h.StudyInstanceUID),
        seriesUid: String(h.SeriesInstanceUID),
        sopInstanceUid: String(h.SOPInstanceUID),
        sopClassUid: String(h.SOPClassUID),
        rows: Number(h.Rows),
        columns: Number(h.Columns),
        ...(h.ImageLaterality === 'L' || h.ImageLaterality === 'R' ? { laterality: h.ImageLaterality as 'L' | 'R' } : {}),
        ...(h.ViewPosition ? { view: String(h.ViewPosition) } : {}),
        clusters: [],
        imageScore: 0,
        algorithm: { name: 'stand-in', version: '0' },
      };
      if (!prepared.ok) return { ...identity, status: prepared.notAnalysed ? 'notAnalysed' : 'failed', failureReason: prepared.reason };
      return { ...identity, status: 'analysed' };
    },
    summarise: summariseStudy,
  };
}

const ms = process.env.MAMMOCAD_TEST_ANALYSIS_MS;
runRole('worker', async (config) => {
  const redisUrl = requireRedisUrl(config, 'worker');
  const role = await startWorkerRole(config, redisUrl, ms ? { analysis: standInAnalysis(Number(ms)) } : {});
  return process.env.MAMMOCAD_HTTP_PORT ? serveRoleHttp('worker', config, redisUrl, role) : role;
}).catch((e: Error) => {
  process.stderr.write(`worker: ${e.message}\n`);
  process.exit(1);
});
