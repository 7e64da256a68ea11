import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { logger } from '../../../src/log/logger';
import { instancesReceivedTotal } from '../../../src/metrics/metrics';
import { instanceJobId } from '../../../src/store/instanceJobs';
import { parseFileMeta, readPart10Header } from '../../../src/dicom/part10HeaderReader';
import { instancePath } from '../../../src/store/spoolPaths';
import { STORAGE_COMMITMENT_PUSH_MODEL } from '../../../src/export/storageCommitment';
import { runTool } from '../../helpers/dcmtkTools';
import { MG_FOR_PRESENTATION, writeMgFixture } from '../../helpers/mgFixture';
import {
  associateRq,
  cStoreCommand,
  closedWithin,
  connectRaw,
  pData,
  pdusUntilQuiet,
  RELEASE_RQ,
  commitmentResult,
  responseCommand,
  responseStatus,
} from '../../helpers/rawDicomPeer';
import { startTestReceiver, TestReceiver } from '../../helpers/receiverHarness';

jest.setTimeout(60000);

const EXPLICIT = '1.2.840.10008.1.2.1';
const IMPLICIT = '1.2.840.10008.1.2';
const VERIFICATION = '1.2.840.10008.1.1';
const CT = '1.2.840.10008.5.1.4.1.1.2';

describe('receiver: broken peers never crash it and leave nothing behind', () => {
  let node: TestReceiver;
  const fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-bad-'));

  beforeAll(async () => {
    node = await startTestReceiver();
  });
  afterAll(async () => {
    await node?.stop();
    fs.rmSync(fixtures, { recursive: true, force: true });
  });

  async function stillAnswersEcho(): Promise<void> {
    const run = await runTool('echoscu', ['-v', '-aec', 'MAMMOCAD', '127.0.0.1', String(node.port)]);
    expect(run.output).toMatch(/Echo Response \(Success\)/);
  }

  function incoming(): string[] {
    return fs.readdirSync(path.join(node.config.dataDir, 'spool', '.incoming'));
  }

  /** An MG fixture and its data set (the file without preamble and meta), as a C-STORE carries it. */
  function mgDataset(opts: Parameters<typeof writeMgFixture>[1] = {}) {
    const fx = writeMgFixture(fixtures, opts);
    const file = fs.readFileSync(fx.file);
    return { fx, dataset: file.subarray(parseFileMeta(file)!.datasetOffset) };
  }

  /** A raw peer with an association accepted for one SOP class. */
  async function associated(sopClass: string, transferSyntax = EXPLICIT) {
    const peer = await connectRaw(node.port);
    peer.socket.write(associateRq('RAW', 'MAMMOCAD', sopClass, transferSyntax));
    expect((await peer.nextData())[0]).toBe(0x02); // A-ASSOCIATE-AC
    return peer;
  }

  it('closes a connection that sends garbage bytes', async () => {
    const peer = await connectRaw(node.port);
    peer.socket.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(await closedWithin(peer.socket, 5000)).toBe(true);
    await stillAnswersEcho();
  });

  it('cuts a connection whose PDU announces gigabytes instead of buffering it', async () => {
    const peer = await associated(MG_FOR_PRESENTATION);
    peer.socket.write(
      Buffer.concat([Buffer.from([0x04, 0, 0xff, 0xff, 0xff, 0xf0]), Buffer.alloc(64 * 1024)]),
    );
    expect(await closedWithin(peer.socket, 5000)).toBe(true);
    await stillAnswersEcho();
  });

  it('survives an A-ASSOCIATE-RQ whose content is garbage, and one cut short', async () => {
    const bogus = await connectRaw(node.port);
    bogus.socket.write(Buffer.concat([Buffer.from([0x01, 0, 0, 0, 0, 12]), Buffer.alloc(12, 0xee)]));
    expect(await closedWithin(bogus.socket, 5000)).toBe(true);
    const cut = await connectRaw(node.port);
    cut.socket.end(associateRq('RAW', 'MAMMOCAD', MG_FOR_PRESENTATION, EXPLICIT).subarray(0, 40));
    await closedWithin(cut.socket, 2000);
    await stillAnswersEcho();
  });

  it('an association dropped in the middle of a dataset leaves no file and no job', async () => {
    const { fx, dataset } = mgDataset();
    const peer = await associated(MG_FOR_PRESENTATION);
    peer.socket.write(pData(1, true, true, cStoreCommand(MG_FOR_PRESENTATION, fx.sopInstanceUid)));
    const half = dataset.subarray(0, Math.floor(dataset.length / 2));
    for (let i = 0; i < half.length; i += 16000)
      peer.socket.write(pData(1, false, false, half.subarray(i, i + 16000)));
    // A last PDU cut short, then the connection drops.
    peer.socket.write(
      pData(1, false, false, dataset.subarray(half.length, half.length + 8000)).subarray(0, 3000),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(incoming().length).toBe(1); // the transfer really was under way
    peer.socket.destroy();
    for (let i = 0; i < 50 && incoming().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(incoming()).toEqual([]);
    expect(fs.existsSync(path.join(node.config.dataDir, 'spool', fx.studyUid))).toBe(false);
    expect(await node.queue.getJob('instance.analyse', instanceJobId(fx.sopInstanceUid))).toBeUndefined();
    await stillAnswersEcho();
  });

  it('an A-ABORT in the middle of a dataset leaves no file and no job, and the connection is closed at once', async () => {
    const { fx, dataset } = mgDataset();
    const peer = await associated(MG_FOR_PRESENTATION);
    peer.socket.write(pData(1, true, true, cStoreCommand(MG_FOR_PRESENTATION, fx.sopInstanceUid)));
    peer.socket.write(pData(1, false, false, dataset.subarray(0, 20000)));
    await new Promise((r) => setTimeout(r, 200));
    peer.socket.write(Buffer.from([0x07, 0, 0, 0, 0, 4, 0, 0, 0, 0])); // A-ABORT
    for (let i = 0; i < 50 && incoming().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(incoming()).toEqual([]);
    expect(await node.queue.getJob('instance.analyse', instanceJobId(fx.sopInstanceUid))).toBeUndefined();
    // PS3.8 9.2.3, AA-3: on an A-ABORT the acceptor closes the transport connection; the sender waits for that.
    expect(await closedWithin(peer.socket, 2000)).toBe(true);
    await stillAnswersEcho();
  });

  it('closes the connection at once when a sender aborts right after association (storescu that cannot convert its file)', async () => {
    const peer = await associated(MG_FOR_PRESENTATION);
    peer.socket.write(Buffer.from([0x07, 0, 0, 0, 0, 4, 0, 0, 0, 0])); // A-ABORT
    expect(await closedWithin(peer.socket, 2000)).toBe(true);
    await stillAnswersEcho();
  });

  it('answers a C-STORE before the release its sender sent without waiting for the response', async () => {
    const { fx, dataset } = mgDataset();
    const peer = await associated(MG_FOR_PRESENTATION);
    peer.socket.write(
      Buffer.concat([
        pData(1, true, true, cStoreCommand(MG_FOR_PRESENTATION, fx.sopInstanceUid)),
        pData(1, false, true, dataset),
        RELEASE_RQ,
      ]),
    );
    const pdus = await pdusUntilQuiet(peer);
    // PS3.8: nothing follows an A-RELEASE-RP, so the C-STORE-RSP must come first.
    expect(pdus.map((p) => p[0])).toEqual([0x04, 0x06]);
    expect(responseStatus(pdus[0])).toBe(0);
    expect(fs.existsSync(instancePath(node.config.dataDir, fx.studyUid, fx.sopInstanceUid))).toBe(true);
    peer.socket.destroy();
  });

  it('answers a storage commitment result before the release its PACS sent without waiting for the response', async () => {
    const peer = await associated(STORAGE_COMMITMENT_PUSH_MODEL, IMPLICIT);
    const { command, dataset } = commitmentResult('2.25.31337');
    peer.socket.write(Buffer.concat([pData(1, true, true, command), pData(1, false, true, dataset), RELEASE_RQ]));
    const pdus = await pdusUntilQuiet(peer);
    expect(pdus.map((p) => p[0])).toEqual([0x04, 0x06]);
    // Success: read and queued for a worker.
    expect(responseCommand(pdus[0])).toMatchObject({ commandField: 0x8100, status: 0 });
    peer.socket.destroy();
  });

  it('names the cause when a sender sends its next C-STORE before the response to the last (no asynchronous operations)', async () => {
    const warn: jest.SpyInstance = jest.spyOn(logger, 'warn');
    try {
      const first = mgDataset();
      const second = mgDataset();
      const peer = await associated(MG_FOR_PRESENTATION);
      peer.socket.write(
        Buffer.concat([
          pData(1, true, true, cStoreCommand(MG_FOR_PRESENTATION, first.fx.sopInstanceUid, 1)),
          pData(1, false, true, first.dataset),
          pData(1, true, true, cStoreCommand(MG_FOR_PRESENTATION, second.fx.sopInstanceUid, 2)),
          pData(1, false, true, second.dataset),
        ]),
      );
      expect(await closedWithin(peer.socket, 5000)).toBe(true);
      const ended = warn.mock.calls.find(([message]) => message === 'association ended on a network or protocol error');
      expect(ended?.[1]).toMatchObject({ reason: expect.stringMatching(/before our response to its last one \(asynchronous operations are not negotiated\)/) });
      // Nothing was acknowledged, so whatever was not kept is the sender's to send again; no temp file stays.
      for (let i = 0; i < 50 && incoming().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(incoming()).toEqual([]);
    } finally {
      warn.mockRestore();
    }
    await stillAnswersEcho();
  });

  it('refuses a C-STORE whose SOP Instance UID has path characters', async () => {
    const { dataset } = mgDataset();
    const peer = await associated(MG_FOR_PRESENTATION);
    peer.socket.write(pData(1, true, true, cStoreCommand(MG_FOR_PRESENTATION, '1.2/../3')));
    peer.socket.write(pData(1, false, true, dataset));
    expect(responseStatus(await peer.nextData())).toBe(0xc000);
    peer.socket.destroy();
    expect(incoming()).toEqual([]);
    await stillAnswersEcho();
  });

  /** Associates with one context of `contextClass`, sends a C-STORE on it, and returns the status. */
  async function storeOnContext(contextClass: string, command: Buffer, dataset: Buffer): Promise<number | undefined> {
    const peer = await associated(contextClass);
    peer.socket.write(pData(1, true, true, command));
    peer.socket.write(pData(1, false, true, dataset));
    const status = responseStatus(await peer.nextData());
    peer.socket.destroy();
    return status;
  }

  it('refuses (0122) data sent on the Verification context or on the context of another SOP class, and keeps nothing', async () => {
    const { fx, dataset } = mgDataset();
    const jobsBefore = (await node.queue.queue('instances').getJobCounts()).waiting;
    expect(await storeOnContext(VERIFICATION, cStoreCommand(MG_FOR_PRESENTATION, fx.sopInstanceUid), dataset)).toBe(0x0122);
    // A CT request (and data) on the mammography context: the SOP class policy must not be bypassed.
    expect(await storeOnContext(MG_FOR_PRESENTATION, cStoreCommand(CT, fx.sopInstanceUid), dataset)).toBe(0x0122);
    // A class the node does not take is counted as "other": a peer cannot grow the metric's label set.
    const counted = (await instancesReceivedTotal.get()).values.map((v) => v.labels.sop_class);
    expect(counted).toContain('other');
    expect(counted).not.toContain(CT);
    expect(fs.existsSync(instancePath(node.config.dataDir, fx.studyUid, fx.sopInstanceUid))).toBe(false);
    expect((await node.queue.queue('instances').getJobCounts()).waiting).toBe(jobsBefore);
    expect(incoming()).toEqual([]);
    await stillAnswersEcho();
  });

  it('answers C000 to a command without its Affected SOP Class or Instance UID (instead of dropping the connection) and to a data set without its SOP Class UID', async () => {
    const { fx, dataset } = mgDataset();
    expect(await storeOnContext(MG_FOR_PRESENTATION, cStoreCommand(MG_FOR_PRESENTATION, undefined), dataset)).toBe(0xc000);
    expect(await storeOnContext(MG_FOR_PRESENTATION, cStoreCommand(undefined, fx.sopInstanceUid), dataset)).toBe(0xc000);
    // Nor is an image kept whose data set has no SOP Class UID: the spool scan could never re-queue it.
    const { fx: noClass, dataset: noClassData } = mgDataset({ omit: ['SOPClassUID'] });
    expect(await storeOnContext(MG_FOR_PRESENTATION, cStoreCommand(MG_FOR_PRESENTATION, noClass.sopInstanceUid), noClassData)).toBe(0xc000);
    expect(incoming()).toEqual([]);
    await stillAnswersEcho();
  });

  it('takes the Hologic sample (VR UN sequence of undefined length, cut short) that storescu itself cannot send', async () => {
    const sample = path.resolve(
      __dirname,
      '../../../../shared/data/dicom-samples/MG-Im-Hologic-PropProj.dcm',
    );
    if (!fs.existsSync(sample)) {
      console.warn(`skipped: ${sample} is absent`);
      return;
    }
    const { header, transferSyntaxUid, datasetOffset } = await readPart10Header(sample);
    const dataset = fs.readFileSync(sample).subarray(datasetOffset);
    const peer = await associated(header.sopClassUid!, transferSyntaxUid);
    peer.socket.write(pData(1, true, true, cStoreCommand(header.sopClassUid!, header.sopInstanceUid!)));
    for (let i = 0; i < dataset.length; i += 16000) {
      peer.socket.write(pData(1, false, i + 16000 >= dataset.length, dataset.subarray(i, i + 16000)));
    }
    expect(responseStatus(await peer.nextData())).toBe(0x0000);
    peer.socket.destroy();
    // Its class is acknowledged by default: answered and let go, so the modality's queue moves on.
    // (Its last element claims more bytes than the file holds: an analysed image like that gets C000.)
    expect(node.config.receiver.acknowledgedSopClasses).toContain(header.sopClassUid);
    expect(fs.existsSync(instancePath(node.config.dataDir, header.studyUid!, header.sopInstanceUid!))).toBe(false);
    expect(incoming()).toEqual([]);
    await stillAnswersEcho();
  });

  it('refuses (C000) an image whose data set ends inside its pixel data, though the sender marked it complete', async () => {
    const { fx, dataset } = mgDataset();
    const jobsBefore = (await node.queue.queue('instances').getJobCounts()).waiting;
    const cut = dataset.subarray(0, dataset.length - 5000);
    expect(await storeOnContext(MG_FOR_PRESENTATION, cStoreCommand(MG_FOR_PRESENTATION, fx.sopInstanceUid), cut)).toBe(0xc000);
    expect(fs.existsSync(instancePath(node.config.dataDir, fx.studyUid, fx.sopInstanceUid))).toBe(false);
    expect((await node.queue.queue('instances').getJobCounts()).waiting).toBe(jobsBefore);
    expect(incoming()).toEqual([]);
  });
});
