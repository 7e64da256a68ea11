import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { instancePath } from '../../../src/store/spoolPaths';
import { startChildReceiverNode, startChildWorker } from '../../helpers/childNode';
import { ChildPipeline, startChildPipeline } from '../../helpers/childPipeline';
import { waitFor } from '../../helpers/childProcess';
import { fullDatasetDump } from '../../helpers/dcmtkTools';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';
import { runCli } from '../../helpers/runCli';
import { startRsyslog, type Rsyslog } from '../../helpers/rsyslog';
import { eventOf } from '../../helpers/auditMessages';

jest.setTimeout(120000);

/**
 * A PACS without IOCM moves images to another study (a split or a merge) and sends them again with
 * their SOP Instance UIDs and the new Study Instance UID (real receiver and worker processes, Redis,
 * storescp as the PACS, storescu as the sender).
 */
describe('an instance sent again under another Study Instance UID', () => {
  let p: ChildPipeline;
  let repository: Rsyslog;
  beforeAll(async () => {
    // rsyslog as the audit record repository: what the node deletes is reported there.
    repository = await startRsyslog('udp');
    p = await startChildPipeline('moved', { MAMMOCAD_AUDIT_REPOSITORY: repository.url });
    p.nodes.push(await startChildReceiverNode(p.env), await startChildWorker(p.env));
  });
  afterAll(async () => {
    await p?.stop();
    await repository?.stop();
  });

  /** The Mammography CAD SR the PACS holds for a study (storescp names files by modality and SOP UID). */
  const cadSrAtPacs = async (studyUid: string) => {
    for (const f of p.scp.files().filter((f) => path.basename(f).startsWith('SRm'))) {
      const dump = await fullDatasetDump(f);
      if (dump.includes(`(0020,000d) UI [${studyUid}]`)) return dump;
    }
    throw new Error(`no CAD SR of ${studyUid} at the PACS`);
  };

  it('leaves its earlier study, which is built again without it, and is reported in the new one; the last one withdraws the earlier study', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-moved-views-'));
    const first = testUid();
    const views = (['L', 'R'] as const).map((laterality) => ({ laterality, sopInstanceUid: testUid(), seriesUid: testUid() }));
    const sent = views.map((v) => writeMgFixture(path.join(dir, 'a'), { studyUid: first, ...v }));
    await p.send(sent.map((s) => s.file));
    await waitFor('first study exported', p.phaseAfterBuilds(first, 'exported', 1), 60000, 200);

    // The PACS moves the left view to another study and forwards it.
    const second = testUid();
    const moved = writeMgFixture(path.join(dir, 'b'), { studyUid: second, ...views[0] });
    await p.send([moved.file]);
    await waitFor('second study exported', p.phaseAfterBuilds(second, 'exported', 1), 60000, 200);
    await waitFor('first study rebuilt', p.phaseAfterBuilds(first, 'exported', 2), 60000, 200);
    expect((await p.state.instances(first)).map((i) => i.sopInstanceUid)).toEqual([views[1].sopInstanceUid]);
    expect(fs.existsSync(instancePath(p.dataDir, first, views[0].sopInstanceUid))).toBe(false);
    expect(fs.existsSync(instancePath(p.dataDir, second, views[0].sopInstanceUid))).toBe(true);
    const firstSr = await cadSrAtPacs(first);
    expect(firstSr).not.toContain(views[0].sopInstanceUid);
    expect(firstSr).toContain(views[1].sopInstanceUid);
    expect(await cadSrAtPacs(second)).toContain(views[0].sopInstanceUid);
    expect(p.nodes[0].log()).toMatch(/"message":"instance moved to another study"/);
    const deleted = await waitFor('the move audited', () => repository.messages().find((m) => eventOf(m.xml) === '110103 D')?.xml, 10000);
    expect(deleted).toContain(`ParticipantObjectID="${first}"`);
    expect(deleted).toContain(`<EventOutcomeDescription>moved to study ${second}</EventOutcomeDescription>`);

    // The right view follows: the first study has no image left and is withdrawn.
    await p.send([writeMgFixture(path.join(dir, 'b'), { studyUid: second, ...views[1] }).file]);
    const withdrawn = await waitFor('first study withdrawn', async () => {
      const s = await p.state.summary(first);
      return s?.phase === 'withdrawn' ? s : undefined;
    }, 60000, 200);
    expect(withdrawn.lastError).toMatch(/all 2 image\(s\) of the study were rejected or moved to another study/);
    await waitFor('our note at the PACS', async () => (p.scp.files().some((f) => path.basename(f).startsWith('KO')) ? true : undefined), 20000, 200);
    const note = await fullDatasetDump(p.scp.files().find((f) => path.basename(f).startsWith('KO'))!);
    expect(note).toContain('Incorrect Modality Worklist Entry');
    expect(note).toContain(`(0020,000d) UI [${first}]`);
    await waitFor('second study has both', async () => ((await p.state.instances(second)).length === 2 ? true : undefined), 20000, 200);
    const shown = await runCli(['study', first], { MAMMOCAD_REDIS_URL: p.redis.url });
    expect(shown.stdout).toContain(`study ${first}: withdrawn (all 2 image(s) of the study were rejected or moved to another study`);
    expect(shown.stdout).toContain('images moved to another study: 2');
  });
});
