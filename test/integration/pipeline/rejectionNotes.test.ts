import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { datasetToPart10, part10ToDataset } from '../../../src/dicom/datasetFile';
import { buildRejectionNote } from '../../../src/report/rejectionNoteDocument';
import { instancePath } from '../../../src/store/spoolPaths';
import { startChildReceiverNode, startChildWorker } from '../../helpers/childNode';
import { ChildPipeline, startChildPipeline } from '../../helpers/childPipeline';
import { waitFor } from '../../helpers/childProcess';
import { fullDatasetDump, runTool } from '../../helpers/dcmtkTools';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';
import { runCli } from '../../helpers/runCli';
import { startRsyslog, type Rsyslog } from '../../helpers/rsyslog';
import { eventOf } from '../../helpers/auditMessages';

jest.setTimeout(120000);

/**
 * IHE IOCM rejection notes from the PACS (real receiver and worker processes, Redis, storescp as the
 * PACS, storescu as the sender): a rejected image leaves its study's objects; the last one withdraws
 * the study and our own rejection note follows the CAD objects to the PACS.
 */
describe('rejection notes (Key Object Selection documents) sent by a PACS', () => {
  let p: ChildPipeline;
  let repository: Rsyslog;
  beforeAll(async () => {
    // rsyslog as the audit record repository: what the node deletes is reported there.
    repository = await startRsyslog('udp');
    p = await startChildPipeline('rejection', { MAMMOCAD_AUDIT_REPOSITORY: repository.url });
    p.nodes.push(await startChildReceiverNode(p.env), await startChildWorker(p.env));
  });
  afterAll(async () => {
    await p?.stop();
    await repository?.stop();
  });

  const send = (files: string[]) => p.send(files);
  const state = () => p.state;
  /** Writes a rejection note for the given files, as a PACS would send it. */
  const rejectionNote = (dir: string, titleCode: string, files: string[]) => {
    const objects = files.map((f) => part10ToDataset(fs.readFileSync(f)));
    const note = buildRejectionNote({
      titleCode,
      studyUid: objects[0].StudyInstanceUID,
      studyHeader: objects[0],
      objects: objects.map((o) => ({ seriesUid: o.SeriesInstanceUID, sopClassUid: o.SOPClassUID, sopInstanceUid: o.SOPInstanceUID })),
    });
    const file = path.join(dir, `kos-${titleCode}-${files.length}.dcm`);
    fs.writeFileSync(file, datasetToPart10(note));
    return file;
  };
  const newestAtPacs = (prefix: string) =>
    p.scp
      .files()
      .filter((f) => path.basename(f).startsWith(prefix))
      .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs)
      .at(-1)!;

  it('a rejected image leaves the objects, stays out when sent again, and the last rejection withdraws the study with our own note', async () => {
    const studyUid = testUid();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-rejected-views-'));
    const views = (['L', 'R', 'L'] as const).map((laterality, i) =>
      writeMgFixture(dir, { studyUid, laterality, viewPosition: i === 2 ? 'MLO' : 'CC', sopInstanceUid: testUid(), seriesUid: testUid() }),
    );
    await send(views.map((v) => v.file));
    await waitFor('first build exported', p.phaseAfterBuilds(studyUid, 'exported', 1), 60000, 200);
    const firstSr = await fullDatasetDump(newestAtPacs('SR'));
    for (const v of views) expect(firstSr).toContain(v.sopInstanceUid);

    // "Of Interest" (key images): acknowledged, nothing changes.
    const ofInterest = part10ToDataset(fs.readFileSync(rejectionNote(dir, '113001', [views[0].file])));
    ofInterest.ConceptNameCodeSequence = [{ CodeValue: '113000', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Of Interest' }];
    const ofInterestFile = path.join(dir, 'of-interest.dcm');
    fs.writeFileSync(ofInterestFile, datasetToPart10(ofInterest));
    await send([ofInterestFile]);

    // One view rejected for quality: the study is built again without it; its spool file is gone.
    await send([rejectionNote(dir, '113001', [views[0].file])]);
    await waitFor('second build exported', p.phaseAfterBuilds(studyUid, 'exported', 2), 60000, 200);
    const secondSr = await fullDatasetDump(newestAtPacs('SR'));
    expect(secondSr).not.toContain(views[0].sopInstanceUid);
    expect(secondSr).toContain(views[1].sopInstanceUid);
    expect(fs.existsSync(instancePath(p.dataDir, studyUid, views[0].sopInstanceUid))).toBe(false);
    // The audit trail records the deletion, naming the study and the patient.
    const deleted = await waitFor('the deletion audited', () => repository.messages().find((m) => eventOf(m.xml) === '110103 D')?.xml, 10000);
    expect(deleted).toContain(`ParticipantObjectID="${studyUid}"`);
    expect(deleted).toContain('NumberOfInstances="1"');
    expect(deleted).toContain('ParticipantObjectID="SYNTH-0001"');
    expect(deleted).toContain('<EventOutcomeDescription>rejection note: Rejected for Quality Reasons</EventOutcomeDescription>');
    expect((await state().instances(studyUid)).map((i) => i.sopInstanceUid).sort()).toEqual([views[1].sopInstanceUid, views[2].sopInstanceUid].sort());

    // The rejected view sent again (a retry, a re-route): Success, but it stays out.
    const requests = p.scp.storeRequests();
    await send([views[0].file]);
    await waitFor('logged', async () => (/"outcome":"previouslyRejected"/.test(p.nodes[0].log()) ? true : undefined), 10000, 100);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await state().summary(studyUid))!.reportCount).toBe(2);
    expect(fs.existsSync(instancePath(p.dataDir, studyUid, views[0].sopInstanceUid))).toBe(false);
    expect(p.scp.storeRequests()).toBe(requests);

    // The other two rejected (wrong worklist entry): the study is withdrawn, and the PACS receives our
    // rejection note for the three CAD objects it holds, with the same title.
    const srUids = p.scp.files().filter((f) => /^(SR|PS)/.test(path.basename(f))).map((f) => path.basename(f).replace(/^[A-Za-z]+\./, ''));
    expect(srUids).toHaveLength(3);
    await send([rejectionNote(dir, '113038', [views[1].file, views[2].file])]);
    const withdrawn = await waitFor('withdrawn', async () => {
      const s = await state().summary(studyUid);
      return s?.phase === 'withdrawn' && p.scp.files().some((f) => path.basename(f).startsWith('KO')) ? s : undefined;
    }, 60000, 200);
    expect(withdrawn.lastError).toMatch(/all 3 image\(s\) of the study were rejected or moved to another study \(last: Incorrect Modality Worklist Entry\)/);
    const ours = await fullDatasetDump(newestAtPacs('KO'));
    expect(ours).toContain('Incorrect Modality Worklist Entry');
    for (const uid of srUids) expect(ours).toContain(uid);
    await waitFor('note delivered', async () =>
      (await state().exports(studyUid)).some((e) => e.object === 'rejectionNote' && e.outcome === 'delivered') ? true : undefined, 20000, 200);
    expect((await state().summary(studyUid))!.phase).toBe('withdrawn');
    const shown = await runCli(['study', studyUid], { MAMMOCAD_REDIS_URL: p.redis.url });
    expect(shown.stdout).toContain('images taken out by rejection notes: 3 (not analysed or reported, not taken back if sent again)');
    expect(shown.stdout).toMatch(/export rejectionNote -> PACS@127\.0\.0\.1:\d+: delivered 0x0000 Success/);

    // A retake sent later under the same study: objects with new UIDs (the old ones are rejected at the PACS).
    const retake = writeMgFixture(dir, { studyUid, laterality: 'R', sopInstanceUid: testUid(), seriesUid: testUid() });
    await send([retake.file]);
    await waitFor('retake reported', p.phaseAfterBuilds(studyUid, 'exported', 3), 60000, 200);
    const newUids = p.scp.files().filter((f) => /^(SR|PS)/.test(path.basename(f))).map((f) => path.basename(f).replace(/^[A-Za-z]+\./, ''));
    expect(newUids).toHaveLength(6);
    expect(p.nodes[1].log()).toMatch(/"message":"rejection note applied".*"removed":2/);
  });

  it('a note that comes before its image keeps the image out, and is not kept in the spool', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-early-note-'));
    const image = writeMgFixture(dir, { sopInstanceUid: testUid() });
    const noteFile = rejectionNote(dir, '113037', [image.file]);
    const note = part10ToDataset(fs.readFileSync(noteFile));
    await send([noteFile]);
    await waitFor('applied', async () => (p.nodes[1].log().includes(`"noteUid":"${note.SOPInstanceUID}"`) ? true : undefined), 10000, 100);
    // The note file goes after the log line (once the worker has seen that its study is not held).
    const notePath = instancePath(p.dataDir, note.StudyInstanceUID, note.SOPInstanceUID);
    await waitFor('the note gone from the spool', async () => (fs.existsSync(notePath) ? undefined : true), 5000, 50).catch(() => undefined);
    expect(fs.existsSync(notePath)).toBe(false);
    const keptOut = () => p.nodes[0].log().match(/"outcome":"previouslyRejected"/g)?.length ?? 0;
    const before = keptOut();
    await send([image.file]);
    await waitFor('kept out', async () => (keptOut() > before ? true : undefined), 10000, 100);
    expect(await state().instances(image.studyUid)).toEqual([]);
    expect(fs.existsSync(instancePath(p.dataDir, image.studyUid, image.sopInstanceUid))).toBe(false);
  });

  it('a note rejecting our own objects makes the next build take new UIDs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-own-rejected-'));
    const studyUid = testUid();
    const first = writeMgFixture(dir, { studyUid, laterality: 'L', sopInstanceUid: testUid() });
    await send([first.file]);
    await waitFor('first build exported', p.phaseAfterBuilds(studyUid, 'exported', 1), 60000, 200);
    const ours = (await state().exports(studyUid)).length;
    expect(ours).toBe(3);
    const objectFiles = Object.values(await state().outputs(studyUid));
    const before = new Set(objectFiles.map((f) => part10ToDataset(fs.readFileSync(f)).SOPInstanceUID));
    await send([rejectionNote(dir, '113001', objectFiles)]);
    await waitFor('spent', async () => (/"message":"rejection note names our objects/.test(p.nodes[1].log()) ? true : undefined), 10000, 100);
    const late = writeMgFixture(dir, { studyUid, laterality: 'R', sopInstanceUid: testUid() });
    await send([late.file]);
    await waitFor('second build exported', p.phaseAfterBuilds(studyUid, 'exported', 2), 60000, 200);
    const after = Object.values(await state().outputs(studyUid)).map((f) => part10ToDataset(fs.readFileSync(f)).SOPInstanceUID);
    expect(after).toHaveLength(3);
    for (const uid of after) expect(before.has(uid)).toBe(false);
  });

  it("after Redis lost its data, the receiver's start-up scan applies the notes kept in the spool again", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-note-rescan-'));
    const studyUid = testUid();
    const images = (['L', 'R'] as const).map((laterality) => writeMgFixture(dir, { studyUid, laterality, sopInstanceUid: testUid() }));
    await send(images.map((i) => i.file));
    await send([rejectionNote(dir, '113001', [images[0].file])]);
    await waitFor('applied', async () => ((await state().isRejected(studyUid, images[0].sopInstanceUid)) ? true : undefined), 10000, 100);
    await waitFor('settled', async () => ((await state().summary(studyUid))?.phase === 'exported' ? true : undefined), 60000, 200);

    await p.client.flushall();
    await p.nodes[0].kill();
    p.nodes[0] = await startChildReceiverNode(p.env);
    await waitFor('applied again', async () => ((await state().isRejected(studyUid, images[0].sopInstanceUid)) ? true : undefined), 20000, 100);
    await send([images[0].file]); // and so it stays out
    await waitFor('rebuilt from the spool', async () => ((await state().summary(studyUid))?.phase === 'exported' ? true : undefined), 60000, 200);
    expect((await state().instances(studyUid)).map((i) => i.sopInstanceUid)).toEqual([images[1].sopInstanceUid]);
  });

  it('a rejection note that cannot be acted on is refused with C000, and the study is untouched', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-bad-note-'));
    const image = writeMgFixture(dir, { sopInstanceUid: testUid() });
    const note = part10ToDataset(fs.readFileSync(rejectionNote(dir, '113037', [image.file])));
    note.CurrentRequestedProcedureEvidenceSequence = [];
    const file = path.join(dir, 'no-evidence.dcm');
    fs.writeFileSync(file, datasetToPart10(note));
    const run = await runTool('storescu', ['-v', '-aec', 'MAMMOCAD', '127.0.0.1', String(p.dicomPort), file]);
    expect(run.output).toMatch(/Store Response \(Error: CannotUnderstand\)/);
    await waitFor('logged', async () => (/Key Object Selection document not understood: rejection note references no instance/.test(p.nodes[0].log()) ? true : undefined), 10000, 100);
    expect(fs.existsSync(instancePath(p.dataDir, note.StudyInstanceUID, note.SOPInstanceUID))).toBe(false);
  });
});
