import { Client, Dataset, requests, responses } from 'dcmjs-dimse';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MAX_RESEND_ROUNDS } from '../../../src/commitment/commitmentResultHandler';
import { STORAGE_COMMITMENT_INSTANCE, STORAGE_COMMITMENT_PUSH_MODEL } from '../../../src/export/storageCommitment';
import { readSourceHeader } from '../../../src/pipeline/sourceHeader';
import { freePort } from '../../../src/redis/freePort';
import type { CommitmentRecord } from '../../../src/pipeline/studyStateStore';
import { startChildReceiverNode, startChildWorker } from '../../helpers/childNode';
import { ChildPipeline, startChildPipeline } from '../../helpers/childPipeline';
import { startEagerCommitmentScp, type EagerCommitmentScp } from '../../helpers/eagerCommitmentScp';
import { waitFor } from '../../helpers/childProcess';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';
import { startOrthanc, type Orthanc } from '../../helpers/orthanc';
import { runCli } from '../../helpers/runCli';

jest.setTimeout(120000);

/**
 * Storage Commitment Push Model with Orthanc as the PACS (real receiver and worker processes): once
 * Orthanc has a build's objects we ask it to commit (N-ACTION); it answers on an association of its
 * own to our receiver (N-EVENT-REPORT, SCP role), as PS3.4 J.3.3 and IHE RAD-10 describe.
 */
describe('storage commitment of the exported objects', () => {
  let p: ChildPipeline;
  let orthanc: Orthanc;
  let commitmentSteps: (outcome: CommitmentRecord['outcome']) => Promise<number>;
  beforeAll(async () => {
    // Orthanc sends its results to the calling AE of the request, which it must know.
    ({ p, pacs: orthanc, commitmentSteps } = await startCommitmentPipeline('commitment', (port) => startOrthanc({ modalities: { mammocad: ['MAMMOCAD', '127.0.0.1', port] } })));
  });
  afterAll(() => stopAll(p, orthanc));

  const commitment = (studyUid: string, outcome: CommitmentRecord['outcome'], round: number) => async () =>
    (await p.state.commitments(studyUid)).find((r) => r.outcome === outcome && r.round === round);

  it('asks Orthanc to commit once it has the three objects, and records its result; a result naming failures sends them again', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-commit-views-'));
    const studyUid = testUid();
    await p.send((['L', 'R'] as const).map((laterality) => writeMgFixture(dir, { studyUid, laterality }).file));
    const committed = await waitFor('committed', commitment(studyUid, 'committed', 0), 60000, 200);
    expect(committed).toMatchObject({ destination: `ORTHANC@127.0.0.1:${orthanc.dicomPort}`, detail: '3 object(s) committed' });
    // The receiver logs once the result is queued: the worker may have applied it a moment before.
    const received = /"callingAe":"ORTHANC","committed":3,"failed":0,"level":"info","message":"storage commitment result received"/;
    await waitFor('the receiver log line', () => (received.test(p.nodes[0].log()) ? true : undefined), 5000);
    const shown = await runCli(['study', studyUid], { MAMMOCAD_REDIS_URL: p.redis.url });
    expect(shown.stdout).toContain(`storage commitment ORTHANC@127.0.0.1:${orthanc.dicomPort}: committed (3 object(s) committed)`);

    // A PACS reporting the GSPS as not stored (a peer speaking for it on the same transaction): the
    // GSPS goes again, commitment is asked again, and Orthanc commits all three.
    const outputs = await p.state.outputs(studyUid);
    const [sr, tid1500, gsps] = [outputs.mammoCadSr!, outputs.tid1500Sr!, outputs.gsps!].map(objectIdentity);
    const status = await sendCommitmentResult(p.dicomPort, committed.transactionUid, [sr, tid1500], [gsps]);
    expect(status).toBe(0);
    expect(p.nodes[1].log()).toMatch(/"message":"storage commitment incomplete, sending again".*"reasons":"gsps: 0x0112 no such object instance"/);
    await waitFor('committed again', commitment(studyUid, 'committed', 1), 60000, 200);
    const exports = await p.state.exports(studyUid);
    expect(exports.map((r) => [r.object, r.outcome])).toEqual([['gsps', 'delivered'], ['mammoCadSr', 'delivered'], ['tid1500Sr', 'delivered']]);

    // Failures reported round after round: after MAX_RESEND_ROUNDS resends the study is exportFailed.
    for (let round = 1; round <= MAX_RESEND_ROUNDS; round++) {
      const current = (await waitFor(`round ${round} committed`, commitment(studyUid, 'committed', round), 60000, 200))!;
      expect(await sendCommitmentResult(p.dicomPort, current.transactionUid, [sr, tid1500], [gsps])).toBe(0);
    }
    const failed = await waitFor('given up', commitment(studyUid, 'failed', MAX_RESEND_ROUNDS), 60000, 200);
    expect(failed.detail).toBe(`not committed after ${MAX_RESEND_ROUNDS} resend(s): gsps: 0x0112 no such object instance`);
    await waitFor('exportFailed', async () => ((await p.state.summary(studyUid))?.phase === 'exportFailed' ? true : undefined), 5000);
    expect(await p.state.summary(studyUid)).toMatchObject({ phase: 'exportFailed', lastError: `storage commitment at ORTHANC@127.0.0.1:${orthanc.dicomPort}: gsps: 0x0112 no such object instance` });
    // Each step counted for the on-call's alerts: 3 requests, 3 commitments, 2 resends, 1 given up.
    expect(await Promise.all((['requested', 'committed', 'resending', 'failed'] as const).map(commitmentSteps))).toEqual([MAX_RESEND_ROUNDS + 1, MAX_RESEND_ROUNDS + 1, MAX_RESEND_ROUNDS, 1]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an N-EVENT-REPORT it cannot read with Processing Failure, so the PACS sends it again', async () => {
    expect(await sendCommitmentResult(p.dicomPort, 'not-a-uid', [], [{ sopClassUid: '1.2', sopInstanceUid: '1.2.3' }])).toBe(0x0110);
    expect(p.nodes[0].log()).toMatch(/"message":"storage commitment result refused".*"reason":"no valid Transaction UID"|"reason":"no valid Transaction UID".*"message":"storage commitment result refused"/);
  });
});

/** A PACS for the tests: Orthanc, or a scripted one. */
type Pacs = { aeTitle: string; dicomPort?: number; port?: number; stop(): void | Promise<void> };

/**
 * Receiver and worker processes whose one destination is the PACS `startPacs` starts (it is told our
 * receiver's port), with storage commitment and any further export settings.
 */
async function startCommitmentPipeline<T extends Pacs>(name: string, startPacs: (receiverPort: number) => Promise<T>, exportSettings: object = {}) {
  const p = await startChildPipeline(name, { MAMMOCAD_DESTINATIONS: '' });
  const pacs = await startPacs(p.dicomPort);
  const destination = { aeTitle: pacs.aeTitle, host: '127.0.0.1', port: pacs.dicomPort ?? pacs.port, storageCommitment: true };
  const configFile = path.join(p.dataDir, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify({ export: { destinations: [destination], ...exportSettings } }));
  p.env.MAMMOCAD_CONFIG = configFile;
  const workerHttpPort = await freePort();
  p.nodes.push(await startChildReceiverNode(p.env), await startChildWorker({ ...p.env, MAMMOCAD_HTTP_PORT: String(workerHttpPort) }));
  /** The worker's count of commitment steps with `outcome` (mammocad_storage_commitments_total). */
  const commitmentSteps = async (outcome: CommitmentRecord['outcome']): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${workerHttpPort}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('mammocad_storage_commitments_total{') && l.includes(`outcome="${outcome}"`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  return { p, pacs, commitmentSteps };
}

async function stopAll(p: ChildPipeline | undefined, pacs: Pacs | undefined): Promise<void> {
  await p?.stop();
  await pacs?.stop();
}

/** The SOP Class and Instance UIDs of an object file. */
function objectIdentity(file: string): { sopClassUid: string; sopInstanceUid: string } {
  const header = readSourceHeader(file);
  return { sopClassUid: String(header.SOPClassUID), sopInstanceUid: String(header.SOPInstanceUID) };
}

type ObjectIdentity = { sopClassUid: string; sopInstanceUid: string };

/** Sends an N-EVENT-REPORT "failures exist" (`failed` with 0x0112) as a PACS would; resolves with our status. */
function sendCommitmentResult(port: number, transactionUid: string, committed: ObjectIdentity[], failed: ObjectIdentity[]): Promise<number | undefined> {
  const client = new Client();
  const report = new requests.NEventReportRequest(STORAGE_COMMITMENT_PUSH_MODEL, STORAGE_COMMITMENT_INSTANCE, 2);
  report.setDataset(
    new Dataset({
      TransactionUID: transactionUid,
      ReferencedSOPSequence: committed.map((o) => ({ ReferencedSOPClassUID: o.sopClassUid, ReferencedSOPInstanceUID: o.sopInstanceUid })),
      FailedSOPSequence: failed.map((o) => ({ ReferencedSOPClassUID: o.sopClassUid, ReferencedSOPInstanceUID: o.sopInstanceUid, FailureReason: 0x0112 })),
    }),
  );
  let status: number | undefined;
  report.on('response', (r: responses.NEventReportResponse) => (status = Number(r.getStatus())));
  client.addRequest(report);
  return new Promise((resolve) => {
    client.on('closed', () => resolve(status));
    client.on('networkError', () => resolve(status));
    client.send('127.0.0.1', port, 'ORTHANC', 'MAMMOCAD');
  });
}

/** A PACS that takes the request but whose result never reaches us (it has a wrong port for us). */
describe('a storage commitment request left unanswered', () => {
  let p: ChildPipeline;
  let orthanc: Orthanc;
  beforeAll(async () => {
    // 0.002 h: about 7 s, for the test.
    const wrongPort = await freePort();
    ({ p, pacs: orthanc } = await startCommitmentPipeline('commitment-timeout', () => startOrthanc({ modalities: { mammocad: ['MAMMOCAD', '127.0.0.1', wrongPort] } }), {
      commitmentTimeoutHours: 0.002,
    }));
  });
  afterAll(() => stopAll(p, orthanc));

  it('marks the study exportFailed once export.commitmentTimeoutHours have passed without a result; a late result still counts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-commit-views-'));
    const studyUid = testUid();
    await p.send([writeMgFixture(dir, { studyUid }).file]);
    await waitFor('requested', async () => (await p.state.commitments(studyUid)).find((r) => r.outcome === 'requested'), 60000, 200);
    const reason = `no storage commitment result from ORTHANC@127.0.0.1:${orthanc.dicomPort} within 0.002 h`;
    const failed = await waitFor('timed out', async () => (await p.state.commitments(studyUid)).find((r) => r.outcome === 'failed'), 30000, 200);
    expect(failed.detail).toBe(reason);
    // The phase and the log line follow the record by a moment.
    await waitFor('exportFailed', async () => ((await p.state.summary(studyUid))?.phase === 'exportFailed' ? true : undefined), 5000);
    expect(await p.state.summary(studyUid)).toMatchObject({ phase: 'exportFailed', lastError: reason });
    await waitFor('the worker log line', () => (/"message":"storage commitment unanswered"/.test(p.nodes[1].log()) ? true : undefined), 5000);

    // The result comes after all (the PACS was fixed and sent it again): the study is exported.
    const outputs = await p.state.outputs(studyUid);
    const objects = [outputs.mammoCadSr!, outputs.tid1500Sr!, outputs.gsps!].map(objectIdentity);
    expect(await sendCommitmentResult(p.dicomPort, failed.transactionUid, objects, [])).toBe(0);
    await waitFor('committed late', async () => (await p.state.commitments(studyUid)).find((r) => r.outcome === 'committed'), 30000, 200);
    // As above, the phase follows the record by a moment.
    await waitFor('exported', async () => ((await p.state.summary(studyUid))?.phase === 'exported' ? true : undefined), 5000);
    expect((await p.state.summary(studyUid))?.phase).toBe('exported');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

/** A PACS whose result arrives before its answer to our request (a race Orthanc hits now and then). */
describe('a storage commitment result that comes before the answer to the request', () => {
  let p: ChildPipeline;
  let pacs: EagerCommitmentScp;
  beforeAll(async () => {
    ({ p, pacs } = await startCommitmentPipeline('commitment-eager', (port) => startEagerCommitmentScp({ port, aeTitle: 'MAMMOCAD' })));
  });
  afterAll(() => stopAll(p, pacs));

  it('is recorded, and stays recorded once the request is answered', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-commit-views-'));
    const studyUid = testUid();
    await p.send([writeMgFixture(dir, { studyUid }).file]);
    await waitFor('committed', async () => (await p.state.commitments(studyUid)).find((r) => r.outcome === 'committed'), 60000, 200);
    await waitFor('request answered', () => (/"message":"storage commitment requested"/.test(p.nodes[1].log()) ? true : undefined), 10000);
    expect((await p.state.commitments(studyUid)).map((r) => r.outcome)).toEqual(['committed']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
