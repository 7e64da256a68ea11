import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { logger } from '../../../src/log/logger';
import { instancesReceivedTotal } from '../../../src/metrics/metrics';
import { instanceJobId } from '../../../src/store/instanceJobs';
import { scanSpool } from '../../../src/store/spoolScan';
import { instancePath } from '../../../src/store/spoolPaths';
import { StudyIndex } from '../../../src/store/studyIndex';
import { runTool, storeStatuses } from '../../helpers/dcmtkTools';
import { MG_FOR_PRESENTATION, testUid, writeMgFixture } from '../../helpers/mgFixture';
import { startTestReceiver, TestReceiver } from '../../helpers/receiverHarness';

jest.setTimeout(60000);

/**
 * One study as a DBT-capable unit, a biopsy room or a unit's QC routine may route it: the kinds of MG
 * images by Image Type, and by Quality Control Image.
 */
const KINDS: Record<string, { imageType: string[]; qualityControlImage?: 'YES' | 'BOTH' }> = {
  conventional: { imageType: ['ORIGINAL', 'PRIMARY', ''] },
  lowEnergy: { imageType: ['ORIGINAL', 'PRIMARY', '', '', 'LOW_ENERGY'] },
  synthesized2d: { imageType: ['DERIVED', 'PRIMARY', 'TOMOSYNTHESIS', 'GENERATED_2D'] },
  stereoScout: { imageType: ['ORIGINAL', 'PRIMARY', 'STEREO_SCOUT'] },
  qcPhantom: { imageType: ['ORIGINAL', 'PRIMARY', ''], qualityControlImage: 'YES' },
  patientAndQc: { imageType: ['ORIGINAL', 'PRIMARY', ''], qualityControlImage: 'BOTH' },
};
type Kind = keyof typeof KINDS;
const ANALYSED: Record<Kind, boolean> = { conventional: true, lowEnergy: true, synthesized2d: false, stereoScout: false, qcPhantom: false, patientAndQc: true };

/**
 * The receiver (real dcmjs-dimse SCP, Redis, storescu) takes in every image of an analysed SOP class,
 * and queues for analysis only those the models are for (receiver.notAnalysedImageTypes,
 * receiver.analyseQualityControlImages).
 */
describe.each([false, true])('receiver: MG images by Image Type and Quality Control Image (keepAcknowledged %s)', (keepAcknowledged) => {
  let node: TestReceiver;
  const fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-imagetype-'));
  const studyUid = testUid();
  let sent: Record<Kind, { file: string; sopInstanceUid: string }>;
  const logged: Record<string, unknown>[] = [];
  beforeAll(async () => {
    node = await startTestReceiver({ receiver: { keepAcknowledged } });
    jest.spyOn(logger, 'info').mockImplementation(((message: string, meta: Record<string, unknown>) => {
      if (message === 'instance received') logged.push(meta);
      return logger;
    }) as never);
    sent = Object.fromEntries(Object.entries(KINDS).map(([kind, attributes]) => [kind, writeMgFixture(fixtures, { studyUid, ...attributes })]));
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await node?.stop();
    fs.rmSync(fixtures, { recursive: true, force: true });
  });

  const notAnalysedCount = async () =>
    (await instancesReceivedTotal.get()).values.find((v) => v.labels.sop_class === MG_FOR_PRESENTATION && v.labels.outcome === 'notAnalysed')?.value ?? 0;

  it('answers Success for each and queues only the conventional, the low-energy and the patient-and-QC image, saying why the others are not analysed', async () => {
    const before = await notAnalysedCount();
    const kinds = Object.keys(KINDS) as Kind[];
    const run = await runTool('storescu', ['-aec', 'MAMMOCAD', '-v', '127.0.0.1', String(node.port), ...kinds.map((k) => sent[k].file)]);
    expect(storeStatuses(run.output)).toEqual(kinds.map(() => 'Success'));
    const queued = await Promise.all(kinds.map(async (k) => (await node.queue.getJob('instance.analyse', instanceJobId(sent[k].sopInstanceUid))) !== undefined));
    expect(Object.fromEntries(kinds.map((k, i) => [k, queued[i]]))).toEqual(ANALYSED);
    // The spool holds what is analysed, and what is not only when asked to keep acknowledged objects.
    const spooled = kinds.map((k) => fs.existsSync(instancePath(node.config.dataDir, studyUid, sent[k].sopInstanceUid)));
    expect(Object.fromEntries(kinds.map((k, i) => [k, spooled[i]]))).toEqual(Object.fromEntries(kinds.map((k) => [k, ANALYSED[k] || keepAcknowledged])));
    expect((await notAnalysedCount()) - before).toBe(3);
    const reasons = Object.fromEntries(logged.map((m) => [m.sopInstanceUid, m.notAnalysed]));
    expect(reasons[sent.synthesized2d.sopInstanceUid]).toBe('Image Type TOMOSYNTHESIS\\GENERATED_2D');
    expect(reasons[sent.stereoScout.sopInstanceUid]).toBe('Image Type STEREO_SCOUT');
    expect(reasons[sent.qcPhantom.sopInstanceUid]).toBe('Quality Control Image YES (a phantom or calibration image)');
    expect(reasons[sent.patientAndQc.sopInstanceUid]).toBeUndefined();
    expect(reasons[sent.conventional.sopInstanceUid]).toBeUndefined();
  });

  it('does not queue a kept image that is not analysed when the spool is scanned again (a restart, Redis back)', async () => {
    const client = new Redis(node.redis.url);
    try {
      const enqueued: string[] = [];
      const result = await scanSpool({
        dataDir: node.config.dataDir,
        queue: node.queue,
        index: new StudyIndex(client),
        analysedSopClasses: node.config.receiver.analysedSopClasses,
        notAnalysed: node.config.receiver,
        enqueue: async (payload) => void enqueued.push(payload.sopInstanceUid),
        enqueueRejectionNote: async () => undefined,
      });
      expect(enqueued).toEqual([]);
      expect(result).toMatchObject({ queued: 0, alreadyKnown: 3, notAnalysed: keepAcknowledged ? 3 : 0 });
    } finally {
      client.disconnect();
    }
  });
});
