import * as fs from 'fs';
import * as path from 'path';
import { part10ToDataset } from '../../../src/dicom/datasetFile';
import { freePort } from '../../../src/redis/freePort';
import { writeSyntheticStudy } from '../../../src/synth/studyWriter';
import { synthesizerByName } from '../../../src/synth/synthesizerByName';
import { startChildReceiverNode, startChildWorker } from '../../helpers/childNode';
import { ChildPipeline, startChildPipeline } from '../../helpers/childPipeline';
import { waitFor } from '../../helpers/childProcess';
import { runTool } from '../../helpers/dcmtkTools';
import { child, childrenWith, codeValue } from '../../helpers/srTree';

jest.setTimeout(180000);

const CAD_SR = '1.2.840.10008.5.1.4.1.1.88.50';
const GSPS = '1.2.840.10008.5.1.4.1.1.11.1';

/**
 * An implant study through the real receiver and worker (real decoding and detection, real reports):
 * the view with the implant in the field is recorded as not analysed and left out of the detections;
 * the implant-displaced view is analysed; the study is reported and exported, and the GSPS notes on
 * the implant view that it was not analysed.
 */
describe('implant views (imaging.analyseImplantViews off, the default)', () => {
  let p: ChildPipeline;
  let workerHttp: number;

  beforeAll(async () => {
    p = await startChildPipeline('implant', { MAMMOCAD_TEST_ANALYSIS_MS: '' });
    workerHttp = await freePort();
    p.nodes.push(await startChildReceiverNode(p.env), await startChildWorker({ ...p.env, MAMMOCAD_HTTP_PORT: String(workerHttp) }));
  });
  afterAll(() => p?.stop());

  it('leaves out the view with the implant in the field, analyses the implant-displaced one, and reports the study', async () => {
    const images = await writeSyntheticStudy({
      outDir: path.join(p.dataDir, 'study'),
      rows: 768,
      columns: 640,
      seed: 11,
      spacingMm: 0.1,
      synthesizer: synthesizerByName('procedural'),
      views: [
        { laterality: 'R', view: 'CC' },
        { laterality: 'L', view: 'CC' },
      ],
    });
    const [inView, displaced] = images.map((i) => i.path);
    await runTool('dcmodify', ['-nb', '-m', '(0028,1300)=YES', inView, displaced]);
    await runTool('dcmodify', [
      '-nb',
      '-i', '(0054,0220)[0].(0054,0222)[0].(0008,0100)=399209000',
      '-i', '(0054,0220)[0].(0054,0222)[0].(0008,0102)=SCT',
      '-i', '(0054,0220)[0].(0054,0222)[0].(0008,0104)=Implant Displaced',
      displaced,
    ]);
    const studyUid = String(part10ToDataset(fs.readFileSync(inView)).StudyInstanceUID);
    await p.send([inView, displaced]);
    await waitFor('the study exported', p.phaseAfterBuilds(studyUid, 'exported', 1), 120000, 250);

    const findings = await p.state.findings(studyUid);
    expect(findings.get(images[0].sopInstanceUid)).toMatchObject({
      status: 'notAnalysed',
      failureReason: expect.stringMatching(/^not analysed: breast implant in the image \(Breast Implant Present YES, not an implant-displaced view\)/),
      clusters: [],
    });
    expect(findings.get(images[1].sopInstanceUid)).toMatchObject({ status: 'analysed' });

    const cadFile = p.scp.files().find((f) => part10ToDataset(fs.readFileSync(f)).SOPClassUID === CAD_SR);
    const cadSr = part10ToDataset(fs.readFileSync(cadFile!));
    const library = (child(cadSr, '111028').ContentSequence as { ReferencedSOPSequence: { ReferencedSOPInstanceUID: string }[] }[]).map(
      (entry) => entry.ReferencedSOPSequence[0].ReferencedSOPInstanceUID,
    );
    expect(library.sort()).toEqual(images.map((i) => i.sopInstanceUid).sort());
    // Summary of Detections: Succeeded, over the displaced view only; no Failed Detections.
    const detections = child(cadSr, '111064');
    expect(codeValue(detections)).toBe('111222');
    expect(childrenWith(detections, '111025')).toHaveLength(0);
    // CAD Processing and Findings Summary: all algorithms succeeded (with or without findings).
    expect(['111241', '111242']).toContain(codeValue(child(cadSr, '111017')));

    // The GSPS says so on the implant view, which it shows without marks.
    const gspsFile = p.scp.files().find((f) => part10ToDataset(fs.readFileSync(f)).SOPClassUID === GSPS);
    const notes = (part10ToDataset(fs.readFileSync(gspsFile!)).GraphicAnnotationSequence ?? []) as { GraphicLayer: string; ReferencedImageSequence: { ReferencedSOPInstanceUID: string }[]; TextObjectSequence: { UnformattedTextValue: string }[] }[];
    expect(
      notes.filter((n) => n.GraphicLayer === 'NOT ANALYSED').map((n) => [n.ReferencedImageSequence[0].ReferencedSOPInstanceUID, n.TextObjectSequence[0].UnformattedTextValue]),
    ).toEqual([[images[0].sopInstanceUid, 'mammocad: not analysed, breast implant in the image']]);

    const worker = p.nodes[1].log();
    expect(worker).toMatch(/"reason":"not analysed: breast implant in the image[^"]*","sopInstanceUid":"[\d.]+","status":"notAnalysed"/);
    const metrics = await (await fetch(`http://127.0.0.1:${workerHttp}/metrics`)).text();
    expect(metrics).toMatch(/mammocad_analysis_seconds_count\{outcome="notAnalysed"\} 1\n/);
    expect(metrics).toMatch(/mammocad_analysis_seconds_count\{outcome="analysed"\} 1\n/);
  });
});
