import * as fs from 'fs';
import * as path from 'path';
import { pruneStudies } from '../../../src/pipeline/pruneStudies';
import { StudyIndex } from '../../../src/store/studyIndex';
import { spoolRoot } from '../../../src/store/spoolPaths';
import { waitFor } from '../../helpers/childProcess';
import {
  intakeAll,
  startPipelineHarness,
  stubEngines,
  testConfig,
  type PipelineHarness,
} from '../../helpers/pipelineHarness';
import { runCli } from '../../helpers/runCli';

const DAY = 24 * 3600 * 1000;

describe('mammocad prune: retention of spool, outputs and Redis state', () => {
  let h: PipelineHarness;
  afterAll(async () => h?.stop());

  it('removes reported studies past the retention everywhere, keeps unfinished ones, and a dry run removes nothing', async () => {
    h = await startPipelineHarness((dir) => testConfig(dir), stubEngines());
    const index = new StudyIndex(h.client);
    const done = h.writeStudy(2);
    await intakeAll(h, done.studyUid, done.images);
    for (const img of done.images)
      await index.markReceived(done.studyUid, {
        sopInstanceUid: img.sopInstanceUid,
        seriesUid: img.seriesUid,
        sopClassUid: img.sopClassUid,
        path: img.file,
      });
    await waitFor(
      'reported',
      async () => ((await h.ctx.state.summary(done.studyUid))?.reportedFingerprint ? true : undefined),
      20000,
    );
    // A study still being received (its images recorded, not yet settled).
    const open = h.writeStudy(1);
    await h.ctx.state.recordInstance(open.studyUid, {
      ...open.images[0],
      path: open.images[0].file,
      receivedAt: Date.now(),
    });

    const folders = [path.join(spoolRoot(h.dir), done.studyUid), path.join(h.dir, 'outputs', done.studyUid)];
    expect(folders.map((f) => fs.existsSync(f))).toEqual([true, true]);

    const env = { MAMMOCAD_REDIS_URL: h.redis.url, MAMMOCAD_DATA_DIR: h.dir };
    const dry = await runCli(['prune', '--older-than-days', '0', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`would prune ${done.studyUid}\n`);
    expect(dry.stdout).toContain(`kept ${open.studyUid}: still receiving\n`);
    expect(dry.stdout).toMatch(/1 studies would be pruned \(\d+\.\d MB\), 1 kept/);
    expect(folders.map((f) => fs.existsSync(f))).toEqual([true, true]);
    expect(await h.ctx.state.summary(done.studyUid)).toBeDefined();

    // Thirty days later, with a retention of 30 days, only studies older than that go.
    const later = Date.now() + 30 * DAY;
    const kept = await pruneStudies({
      dataDir: h.dir,
      state: h.ctx.state,
      index,
      olderThanMs: 31 * DAY,
      now: later,
    });
    expect(kept.pruned).toEqual([]);
    const result = await pruneStudies({
      dataDir: h.dir,
      state: h.ctx.state,
      index,
      olderThanMs: 29 * DAY,
      now: later,
    });
    expect(result.pruned).toEqual([done.studyUid]);
    expect(result.kept).toEqual([{ studyUid: open.studyUid, why: 'still receiving' }]);
    expect(result.freedBytes).toBeGreaterThan(0);
    expect(folders.map((f) => fs.existsSync(f))).toEqual([false, false]);
    expect(await h.ctx.state.summary(done.studyUid)).toBeUndefined();
    expect(await h.ctx.state.findings(done.studyUid)).toEqual(new Map());
    expect(await index.getStudy(done.studyUid)).toEqual([]);
    expect(await index.studies()).not.toContain(done.studyUid);
    expect(await h.client.keys(`mammocad:study:${done.studyUid}*`)).toEqual([]);
    expect(await h.ctx.state.summary(open.studyUid)).toBeDefined();
  });
});
