import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import type { GroundTruth } from '../../../src/findings/groundTruth';
import { StudyStateStore } from '../../../src/pipeline/studyStateStore';
import { startEmbeddedRedis, EmbeddedRedis } from '../../../src/redis/embeddedRedis';
import { freePort } from '../../../src/redis/freePort';
import { part10ToDataset } from '../../../src/dicom/datasetFile';
import type { NaturalDataset } from '../../../src/report/naturalDataset';
import { writeSyntheticStudy, WrittenImage } from '../../../src/synth/studyWriter';
import { synthesizerByName } from '../../../src/synth/synthesizerByName';
import { ChildNode, startChildReceiverNode, startChildWorker } from '../../helpers/childNode';
import { waitFor } from '../../helpers/childProcess';
import { writeUndecodableImage } from '../../helpers/undecodableImage';
import { runTool, storeStatuses } from '../../helpers/dcmtkTools';
import { startOrthanc, Orthanc } from '../../helpers/orthanc';
import { allItems, child, codeValue, concept, numValue, scoordsWithImages } from '../../helpers/srTree';
import { startStoreScp, StoreScp } from '../../helpers/storescp';
import { insidePolygon } from '../../../src/geometry/polygon';

jest.setTimeout(300000);

const CAD_SR = '1.2.840.10008.5.1.4.1.1.88.50';
const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33';
const GSPS = '1.2.840.10008.5.1.4.1.1.11.1';
const DETECTOR_MODEL = path.resolve(__dirname, '../../../models/mammocad-calc-detector.onnx');
/** With the detector model present the real analysis runs and findings are checked against the truth. */
const REAL_DETECTION = fs.existsSync(DETECTOR_MODEL);

describe(`end to end with a real PACS (Orthanc)${REAL_DETECTION ? '' : ' — detector model absent: stand-in detection, real decoding and reports'}`, () => {
  let dir: string;
  let redis: EmbeddedRedis;
  let client: Redis;
  let state: StudyStateStore;
  let orthanc: Orthanc;
  let scp: StoreScp;
  const nodes: ChildNode[] = [];
  let dicomPort: number;
  let images: WrittenImage[];
  let receiverHttpPort: number;
  let workerHttpPort: number;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-e2e-'));
    dicomPort = await freePort();
    [redis, orthanc, scp] = await Promise.all([
      startEmbeddedRedis(path.join(dir, 'redis')),
      startOrthanc({ aeTitle: 'ORTHANC', modalities: { mammocad: ['MAMMOCAD', '127.0.0.1', dicomPort] } }),
      startStoreScp({ aeTitle: 'ARCHIVE' }),
    ]);
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    state = new StudyStateStore(client);
    // Reply to the sender (Orthanc, a known AE) and always to the archive (storescp).
    const configFile = path.join(dir, 'mammocad.json');
    fs.writeFileSync(configFile, JSON.stringify({ export: { knownAes: { ORTHANC: { host: '127.0.0.1', port: orthanc.dicomPort } } } }));
    const env: Record<string, string> = {
      MAMMOCAD_CONFIG: configFile,
      MAMMOCAD_DATA_DIR: path.join(dir, 'node'),
      MAMMOCAD_REDIS_URL: redis.url,
      MAMMOCAD_DICOM_PORT: String(dicomPort),
      MAMMOCAD_DESTINATIONS: scp.destination,
      MAMMOCAD_REPLY_TO_SENDER: 'true',
      MAMMOCAD_SETTLE_SECONDS: '2',
      MAMMOCAD_JOB_BACKOFF_MS: '300',
      ...(REAL_DETECTION ? {} : { MAMMOCAD_TEST_ANALYSIS_MS: '10' }),
    };
    [receiverHttpPort, workerHttpPort] = [await freePort(), await freePort()];
    nodes.push(
      await startChildReceiverNode({ ...env, MAMMOCAD_HTTP_PORT: String(receiverHttpPort) }),
      await startChildWorker({ ...env, MAMMOCAD_HTTP_PORT: String(workerHttpPort) }),
    );
    images = await writeSyntheticStudy({
      outDir: path.join(dir, 'study'),
      rows: 1024,
      columns: 832,
      seed: 7,
      spacingMm: 0.14,
      synthesizer: synthesizerByName('procedural'),
    });
  });
  afterAll(async () => {
    for (const n of nodes) await n.kill();
    client?.disconnect();
    await Promise.all([redis?.stop(), orthanc?.stop(), scp?.stop()]);
  });

  it('Orthanc sends a 4-view study; Orthanc then holds the Mammography CAD SR, TID 1500 SR and GSPS of that study', async () => {
    for (const image of images) await orthanc.upload(image.path);
    const studyUid = String(part10ToDataset(fs.readFileSync(images[0].path)).StudyInstanceUID);
    const found = await orthanc.rest<string[]>('POST', '/tools/find', { Level: 'Study', Query: { StudyInstanceUID: studyUid } });
    expect(found).toHaveLength(1);
    const orthancStudyId = found[0];
    const sent = await orthanc.rest<{ FailedInstancesCount: number; InstancesCount: number }>('POST', '/modalities/mammocad/store', {
      Resources: [orthancStudyId],
      Synchronous: true,
    });
    expect(sent).toMatchObject({ FailedInstancesCount: 0, InstancesCount: 4 });

    const ours = await waitFor('the three objects in Orthanc', async () => {
      const instances = await orthanc.rest<Array<{ ID: string }>>('GET', `/studies/${orthancStudyId}/instances`);
      const tagged = await Promise.all(instances.map(async (i) => ({ id: i.ID, tags: await orthanc.rest<Record<string, string>>('GET', `/instances/${i.ID}/tags?short`) })));
      const cad = tagged.filter((t) => [CAD_SR, COMPREHENSIVE_SR, GSPS].includes(t.tags['0008,0016']));
      return cad.length === 3 ? cad : undefined;
    }, 240000, 1000);
    expect(ours.map((o) => o.tags['0008,0016']).sort()).toEqual([CAD_SR, COMPREHENSIVE_SR, GSPS].sort());
    for (const o of ours) expect(o.tags['0020,000d']).toBe(studyUid);

    const cadId = ours.find((o) => o.tags['0008,0016'] === CAD_SR)!.id;
    const cadSr = part10ToDataset(Buffer.from(await (await fetch(`http://127.0.0.1:${orthanc.httpPort}/instances/${cadId}/file`)).arrayBuffer()));
    const library = child(cadSr, '111028');
    const libraryUids = (library.ContentSequence as NaturalDataset[]).map((i) => i.ReferencedSOPSequence[0].ReferencedSOPInstanceUID).sort();
    expect(libraryUids).toEqual(images.map((i) => i.sopInstanceUid).sort());
    const summary = child(cadSr, '111017');

    // The archive got the same three objects, once each.
    await waitFor('archive has three objects', () => (scp.files().length === 3 ? true : undefined), 30000);
    expect(scp.storeRequests()).toBe(3);
    expect((await state.summary(studyUid))?.phase).toBe('exported');

    if (!REAL_DETECTION) {
      // Stand-in detection finds nothing: "All algorithms succeeded; without findings".
      expect(codeValue(summary)).toBe('111241');
      return;
    }
    // Real detection: true clusters are found (a reported centre inside a true outline of that image),
    // and every reported cluster carries a probability of cancer. False positives are the detector's
    // precision, measured by `npm run eval`, not asserted here.
    const truthBySop = new Map(images.map((i) => [i.sopInstanceUid, JSON.parse(fs.readFileSync(i.truthPath, 'utf8')) as GroundTruth]));
    const clusterFindings = allItems(cadSr).filter(({ item }) => concept(item) === '111059' && codeValue(item) === '129769006');
    expect(clusterFindings.length).toBeGreaterThan(0);
    const centres = scoordsWithImages(cadSr).filter(({ scoord }) => concept(scoord) === '111010' && scoord.GraphicType === 'POINT');
    const foundTrue = new Set<string>();
    let hits = 0;
    for (const { item } of clusterFindings) {
      const centreItem = child(item, '111010');
      const { sopInstanceUid } = centres.find((c) => c.scoord === centreItem)!;
      const [x, y] = centreItem.GraphicData as number[];
      const hit = truthBySop.get(sopInstanceUid)!.clusters.find((c) => insidePolygon({ x, y }, c.outline));
      if (hit) {
        hits += 1;
        foundTrue.add(`${sopInstanceUid}#${hit.id}`);
      }
      const probability = numValue(child(item, '111047'));
      expect(probability).toBeGreaterThanOrEqual(0);
      expect(probability).toBeLessThanOrEqual(100);
    }
    const trueClusters = [...truthBySop.values()].reduce((n, t) => n + t.clusters.length, 0);
    const measured = { reported: clusterFindings.length, inOutline: hits, trueClusters, trueFound: foundTrue.size };
    fs.writeFileSync(path.join(dir, 'e2e-detection.json'), JSON.stringify(measured));
    expect(foundTrue.size).toBeGreaterThan(0);
  });

  it('dcmtk storescu as sender, storescp as destination; one image of four not decodable: the report covers the other three and records the failure', async () => {
    const second = await writeSyntheticStudy({
      outDir: path.join(dir, 'study2'),
      rows: 1024,
      columns: 832,
      seed: 11,
      spacingMm: 0.14,
      synthesizer: synthesizerByName('procedural'),
    });
    const broken = path.join(dir, 'study2', 'broken.dcm');
    writeUndecodableImage(second[3].path, broken);
    const files = [...second.slice(0, 3).map((i) => i.path), broken];
    const before = scp.storeRequests();
    const run = await runTool('storescu', ['-v', '-aet', 'MODALITY', '-aec', 'MAMMOCAD', '127.0.0.1', String(dicomPort), ...files], 120000);
    expect({ statuses: storeStatuses(run.output), output: run.output.slice(-2000) }).toMatchObject({ statuses: ['Success', 'Success', 'Success', 'Success'] });
    const studyUid = String(part10ToDataset(fs.readFileSync(second[0].path)).StudyInstanceUID);

    await waitFor('exported', async () => ((await state.summary(studyUid))?.phase === 'exported' ? true : undefined), 240000, 500);
    const findings = await state.findings(studyUid);
    expect(findings.get(second[3].sopInstanceUid)).toMatchObject({ status: 'failed' });
    expect(findings.get(second[3].sopInstanceUid)!.failureReason).toMatch(/^not analysable: /);
    expect(second.slice(0, 3).map((i) => findings.get(i.sopInstanceUid)?.status)).toEqual(['analysed', 'analysed', 'analysed']);
    expect(scp.storeRequests() - before).toBe(3);

    const cadFile = scp.files().find((f) => {
      const ds = part10ToDataset(fs.readFileSync(f));
      return ds.StudyInstanceUID === studyUid && ds.SOPClassUID === CAD_SR;
    });
    expect(cadFile).toBeDefined();
    const cadSr = part10ToDataset(fs.readFileSync(cadFile!));
    // "Not all algorithms succeeded" (with or without findings).
    expect(['111243', '111244']).toContain(codeValue(child(cadSr, '111017')));
  });

  // Runs after the two studies above went through: what they leave in logs, queues and metrics.
  it('no patient data in the info-level logs, the job payloads or the metrics', async () => {
    const header = part10ToDataset(fs.readFileSync(images[0].path));
    const identifiers = [String(header.PatientID), String(header.AccessionNumber), ...String((header.PatientName as Array<{ Alphabetic: string }>)[0].Alphabetic).split('^')];
    const leaks = (where: string, text: string) => identifiers.filter((id) => text.includes(id)).map((id) => `${id} in ${where}`);
    const found = nodes.flatMap((n, i) => leaks(`log of node ${i}`, n.log()));
    for (const port of [receiverHttpPort, workerHttpPort])
      found.push(...leaks(`metrics on ${port}`, await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()));
    // Every job BullMQ holds (done, failed or waiting) and its outcome.
    let jobs = 0;
    for await (const keys of client.scanStream({ match: 'mammocad:*', count: 500 })) {
      for (const key of keys as string[]) {
        if ((await client.type(key)) !== 'hash') continue;
        const job = await client.hmget(key, 'name', 'data', 'returnvalue', 'failedReason', 'stacktrace');
        if (job[0] === null || job[1] === null) continue;
        jobs += 1;
        found.push(...leaks(`job ${key}`, job.join('\n')));
      }
    }
    expect(jobs).toBeGreaterThan(8);
    expect(found).toEqual([]);
  });
});
