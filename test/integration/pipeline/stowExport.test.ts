import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startChildReceiverNode, startChildWorker } from '../../helpers/childNode';
import { ChildPipeline, startChildPipeline } from '../../helpers/childPipeline';
import { waitFor } from '../../helpers/childProcess';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';
import { DICOMWEB_PLUGIN, Orthanc, startOrthanc } from '../../helpers/orthanc';

jest.setTimeout(120000);

const describeIfPlugin = fs.existsSync(DICOMWEB_PLUGIN) ? describe : describe.skip;

/** A study's objects exported by STOW-RS to a DICOMweb PACS (real receiver and worker processes, Orthanc). */
describeIfPlugin('export to a DICOMweb destination', () => {
  let orthanc: Orthanc;
  let p: ChildPipeline;
  beforeAll(async () => {
    orthanc = await startOrthanc({ aeTitle: 'VNA', dicomWeb: true });
    p = await startChildPipeline('stow', { MAMMOCAD_DESTINATIONS: orthanc.dicomWebUrl });
    p.nodes.push(await startChildReceiverNode(p.env), await startChildWorker(p.env));
  });
  afterAll(async () => {
    await p?.stop();
    await orthanc?.stop();
  });

  it('the three objects arrive in the PACS under the study, recorded per destination URL', async () => {
    const studyUid = testUid();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-stow-views-'));
    const views = (['L', 'R'] as const).map((laterality) => writeMgFixture(dir, { studyUid, laterality }));
    await p.send(views.map((v) => v.file));
    await waitFor('exported', p.phaseAfterBuilds(studyUid, 'exported', 1), 60000, 200);
    const exports = await p.state.exports(studyUid);
    expect(exports.map((e) => [e.object, e.destination, e.outcome, e.detail])).toEqual(
      ['gsps', 'mammoCadSr', 'tid1500Sr'].map((o) => [o, orthanc.dicomWebUrl, 'delivered', 'HTTP 200 OK']),
    );
    const found = await orthanc.rest<Array<{ MainDicomTags: { SOPInstanceUID: string } }>>('POST', '/tools/find', {
      Level: 'Instance',
      Query: { StudyInstanceUID: studyUid },
      Expand: true,
    });
    const ours = Object.values(await p.state.outputs(studyUid)).length;
    expect(found).toHaveLength(ours);
    expect(ours).toBe(3);
  });
});
