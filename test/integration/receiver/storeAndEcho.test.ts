import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { logger } from '../../../src/log/logger';
import { bytesReceivedTotal, instancesReceivedTotal } from '../../../src/metrics/metrics';
import { instanceJobId } from '../../../src/store/instanceJobs';
import { instancePath } from '../../../src/store/spoolPaths';
import { datasetDump, runTool, storeStatuses } from '../../helpers/dcmtkTools';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';
import { startTestReceiver, TestReceiver } from '../../helpers/receiverHarness';

jest.setTimeout(60000);

function echo(port: number, extra: string[] = []) {
  return runTool('echoscu', ['-v', '-aec', 'MAMMOCAD', ...extra, '127.0.0.1', String(port)]);
}

describe('receiver: C-ECHO, association policy and C-STORE to the spool', () => {
  let node: TestReceiver;
  const fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-fx-'));

  beforeAll(async () => {
    node = await startTestReceiver();
  });
  afterAll(async () => {
    await node?.stop();
    fs.rmSync(fixtures, { recursive: true, force: true });
  });

  it('answers C-ECHO with Success', async () => {
    const run = await echo(node.port, ['-aet', 'MODALITY']);
    expect(run.output).toMatch(/Received Echo Response \(Success\)/);
    expect(run.code).toBe(0);
  });

  it('rejects another called AE title', async () => {
    const run = await runTool('echoscu', ['-v', '-aec', 'NOTUS', '127.0.0.1', String(node.port)]);
    expect(run.output).toMatch(/Association Rejected/);
    expect(run.output).toMatch(/Called AE Title Not Recognized/i);
    expect(run.code).not.toBe(0);
  });

  it('stores a 4-image study: four Success, four spooled files identical in content, four jobs', async () => {
    const studyUid = testUid();
    const seriesUid = testUid();
    const images = [0, 1, 2, 3].map((i) =>
      writeMgFixture(path.join(fixtures, 'study4'), {
        studyUid,
        seriesUid,
        laterality: i < 2 ? 'L' : 'R',
        viewPosition: i % 2 ? 'MLO' : 'CC',
      }),
    );
    const counted = async () => {
      const byOutcome = (await instancesReceivedTotal.get()).values.filter(
        (v) => v.labels.sop_class === '1.2.840.10008.5.1.4.1.1.1.2',
      );
      const bytes = (await bytesReceivedTotal.get()).values[0]?.value ?? 0;
      return {
        stored: byOutcome.find((v) => v.labels.outcome === 'stored')?.value ?? 0,
        duplicate: byOutcome.find((v) => v.labels.outcome === 'duplicate')?.value ?? 0,
        bytes,
      };
    };
    const before = await counted();
    const run = await runTool('storescu', [
      '-v',
      '-aet',
      'MODALITY',
      '-aec',
      'MAMMOCAD',
      '127.0.0.1',
      String(node.port),
      ...images.map((f) => f.file),
    ]);
    expect(storeStatuses(run.output)).toEqual(['Success', 'Success', 'Success', 'Success']);
    for (const image of images) {
      const spooled = instancePath(node.config.dataDir, studyUid, image.sopInstanceUid);
      expect(fs.existsSync(spooled)).toBe(true);
      const sent = await datasetDump(image.file);
      expect(sent).toContain(image.sopInstanceUid);
      expect(await datasetDump(spooled)).toEqual(sent);
      // Our file meta: transfer syntax of the context, our implementation, the sender's AE.
      const meta = (
        await runTool('dcmdump', [
          '-q',
          '-M',
          '+P',
          '0002,0016',
          '+P',
          '0002,0012',
          '+P',
          '0002,0003',
          spooled,
        ])
      ).output;
      expect(meta).toContain('[MODALITY]');
      expect(meta).toContain('2.25.264357226578429999500168353774921595209');
      expect(meta).toContain(image.sopInstanceUid);
      const job = await node.queue.getJob('instance.analyse', instanceJobId(image.sopInstanceUid));
      expect(job?.data).toEqual({
        studyUid,
        seriesUid,
        sopInstanceUid: image.sopInstanceUid,
        sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2',
        path: spooled,
        callingAe: 'MODALITY',
      });
    }
    expect(fs.readdirSync(path.join(node.config.dataDir, 'spool', '.incoming'))).toEqual([]);
    const afterFirst = await counted();
    expect(afterFirst.stored - before.stored).toBe(4);
    expect(afterFirst.bytes - before.bytes).toBeGreaterThan(4 * 256 * 256 * 2);

    // The same study again: Success again, still one file and one job per image.
    const again = await runTool('storescu', [
      '-v',
      '-aec',
      'MAMMOCAD',
      '127.0.0.1',
      String(node.port),
      ...images.map((f) => f.file),
    ]);
    expect(storeStatuses(again.output)).toEqual(['Success', 'Success', 'Success', 'Success']);
    expect(fs.readdirSync(path.join(node.config.dataDir, 'spool', studyUid)).sort()).toEqual(
      images.map((i) => `${i.sopInstanceUid}.dcm`).sort(),
    );
    const counts = await node.queue.queue('instances').getJobCounts();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(4);
    expect((await counted()).duplicate - afterFirst.duplicate).toBe(4);
  });

  it('refuses a dataset without Study Instance UID and one with path characters in it, and keeps serving', async () => {
    const noStudy = writeMgFixture(path.join(fixtures, 'bad'), { omit: ['StudyInstanceUID'] });
    const pathy = writeMgFixture(path.join(fixtures, 'bad'), { studyUid: '1.2/../3' });
    const run = await runTool('storescu', [
      '-v',
      '-nh',
      '-aec',
      'MAMMOCAD',
      '127.0.0.1',
      String(node.port),
      noStudy.file,
      pathy.file,
    ]);
    const statuses = storeStatuses(run.output);
    expect(statuses).toHaveLength(2);
    for (const s of statuses) expect(s).toMatch(/C000|Error|Failed/i);
    expect(fs.existsSync(path.join(node.config.dataDir, 'spool', '1.2'))).toBe(false);
    expect(fs.readdirSync(path.join(node.config.dataDir, 'spool', '.incoming'))).toEqual([]);
    expect(
      await node.queue.getJob('instance.analyse', instanceJobId(noStudy.sopInstanceUid)),
    ).toBeUndefined();
    expect((await echo(node.port)).output).toMatch(/Echo Response \(Success\)/);
  });

  // Last: its image would count in the tests above.
  it("logs the contexts it accepted, names a class it takes but in none of the proposed syntaxes, and only counts the classes it does not take", async () => {
    const file = writeMgFixture(fixtures).file;
    const info: jest.SpyInstance = jest.spyOn(logger, 'info');
    try {
      const accepted = () => info.mock.calls.filter((c) => c[0] === 'association accepted').map((c) => c[1] as any);
      // storescu's default proposal: about a hundred storage classes, each in the uncompressed syntaxes.
      await runTool('storescu', ['-aec', 'MAMMOCAD', '127.0.0.1', String(node.port), file]);
      const line = accepted().at(-1);
      expect(line.acceptedContexts).toEqual(expect.arrayContaining([expect.stringMatching(/^\d+:1\.2\.840\.10008\.5\.1\.4\.1\.1\.1\.2@1\.2\.840\.10008\.1\.2\.1\(analysed\)$/)]));
      expect(line.otherSopClassesRejected).toBeGreaterThan(50);
      expect(line.rejectedTransferSyntaxes).toBeUndefined();
      expect(JSON.stringify(line).length).toBeLessThan(2500);
      // MPEG-2 only: the mammography classes are named with what was proposed.
      await runTool('storescu', ['-xm', '-aec', 'MAMMOCAD', '127.0.0.1', String(node.port), file]);
      expect(accepted().at(-1).rejectedTransferSyntaxes).toMatchObject({ '1.2.840.10008.5.1.4.1.1.1.2': '1.2.840.10008.1.2.4.100' });
    } finally {
      info.mockRestore();
    }
  });
});

describe('receiver: calling AE allow list', () => {
  let node: TestReceiver;
  beforeAll(async () => {
    node = await startTestReceiver({ receiver: { allowedCallingAes: ['PACS'] } });
  });
  afterAll(async () => node?.stop());

  it('rejects a calling AE not on the list and accepts one that is', async () => {
    const refused = await echo(node.port, ['-aet', 'INTRUDER']);
    expect(refused.output).toMatch(/Association Rejected/);
    expect(refused.output).toMatch(/Calling AE Title Not Recognized/i);
    const allowed = await echo(node.port, ['-aet', 'PACS']);
    expect(allowed.output).toMatch(/Echo Response \(Success\)/);
  });
});
