import { intakeInstance } from '../../../src/pipeline/instanceIntake';
import { rerunStudy } from '../../../src/pipeline/rerunStudy';
import { laterPort } from '../../helpers/laterPort';
import { startPipelineHarness, stubEngines, testConfig, PipelineHarness } from '../../helpers/pipelineHarness';
import { startStoreScp, StoreScp } from '../../helpers/storescp';
import { waitFor } from '../../helpers/childProcess';
import { runCli } from '../../helpers/runCli';

describe('operator commands: study, dead-letters, rerun', () => {
  let h: PipelineHarness;
  let scp: StoreScp | undefined;
  afterAll(async () => {
    await h?.stop();
    await scp?.stop();
  });

  it('lists dead letters with the reason, retries them, shows the study, and reruns it', async () => {
    const port = await laterPort(); // the PACS comes back on it
    h = await startPipelineHarness(
      (dir) => testConfig(dir, { pipeline: { attempts: 2, backoffMs: 100 }, export: { destinations: [{ aeTitle: 'PACS', host: '127.0.0.1', port }] } }),
      stubEngines(),
    );
    const env = { MAMMOCAD_REDIS_URL: h.redis.url, MAMMOCAD_SETTLE_SECONDS: '1' };
    const { studyUid, images } = h.writeStudy(2);
    for (const img of images) {
      await intakeInstance(h.ctx.queue, h.ctx.state, 1000, { studyUid, seriesUid: img.seriesUid, sopInstanceUid: img.sopInstanceUid, sopClassUid: img.sopClassUid, path: img.file });
    }
    // Within its settle window the study is still receiving: a rerun now would analyse it twice, so it is refused unless forced.
    await expect(rerunStudy(h.ctx.queue, h.ctx.state, 1000, studyUid)).rejects.toThrow(
      new RegExp(`^study ${studyUid.replace(/\./g, '\\.')} is still receiving \\(last image \\d+ s ago\\): rerun it once it is reported, or with --force if it is stuck$`),
    );
    await waitFor('export failed', async () => ((await h.ctx.state.summary(studyUid))?.phase === 'exportFailed' ? true : undefined), 30000);
    await waitFor('3 dead letters', async () => ((await runCli(['dead-letters', 'list'], env)).stdout.includes('3 dead letter(s)') ? true : undefined), 20000, 500);

    const list = await runCli(['dead-letters', 'list'], env);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(0, 3)) {
      expect(line).toMatch(new RegExp(`export\\.store study ${studyUid.replace(/\./g, '\\.')}  after 2 attempt\\(s\\): PACS@127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    }

    const failedView = await runCli(['study', studyUid], env);
    expect(failedView.stdout).toContain(`study ${studyUid}: exportFailed`);
    expect(failedView.stdout).toMatch(/export gsps -> PACS@127\.0\.0\.1:\d+: failed gave up: PACS@127\.0\.0\.1:\d+: Connection error: connect ECONNREFUSED 127\.0\.0\.1:\d+ \[job failed\]/);

    scp = await startStoreScp({ aeTitle: 'PACS', port });
    const retry = await runCli(['dead-letters', 'retry'], env);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain('3 dead letter(s) retried');
    await waitFor('exported', async () => ((await h.ctx.state.summary(studyUid))?.phase === 'exported' ? true : undefined), 20000);
    expect(scp.files()).toHaveLength(3);

    const view = await runCli(['study', studyUid, '--json'], env);
    const d = JSON.parse(view.stdout);
    expect(d.study).toMatchObject({ studyUid, phase: 'exported', reportCount: 1 });
    expect(d.images.map((i: any) => i.status)).toEqual(['analysed', 'analysed']);
    expect(d.exports.map((e: any) => [e.object, e.outcome, e.job.state])).toEqual([
      ['gsps', 'delivered', 'completed'],
      ['mammoCadSr', 'delivered', 'completed'],
      ['tid1500Sr', 'delivered', 'completed'],
    ]);

    const rerun = await runCli(['rerun', studyUid], env);
    expect(rerun.stdout).toContain(`study ${studyUid}: 2 image(s) queued for analysis again`);
    await waitFor('rebuilt and exported', async () => {
      const s = await h.ctx.state.summary(studyUid);
      return s?.reportCount === 2 && s.phase === 'exported' ? true : undefined;
    }, 20000);
    expect(scp.files()).toHaveLength(3); // the same three objects, replaced

    const unknown = await runCli(['study', '2.25.1'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('study 2.25.1 is not known to this node: no image of it was queued for analysis');
  });
});
