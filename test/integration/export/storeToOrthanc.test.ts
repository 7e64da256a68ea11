import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CAD_OBJECT_SOP_CLASSES, storeFilesOrThrow } from '../../../src/export/storeScu';
import { startOrthanc, Orthanc } from '../../helpers/orthanc';
import { writeTestInstance } from '../../helpers/dicomFiles';

describe('export into a real PACS (Orthanc)', () => {
  let orthanc: Orthanc;
  beforeAll(async () => {
    orthanc = await startOrthanc({ aeTitle: 'PACS' });
  });
  afterAll(async () => {
    await orthanc?.stop();
  });

  it('Orthanc indexes the CAD objects (and our rejection note) under the source study, and a re-send replaces, not duplicates', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-orthanc-export-'));
    const studyUid = '2.25.98765';
    const objects = CAD_OBJECT_SOP_CLASSES.map((c, i) => writeTestInstance(dir, c, { studyUid, modality: ['SR', 'SR', 'PR', 'KO'][i] }));
    const endpoint = { aeTitle: 'PACS', host: '127.0.0.1', port: orthanc.dicomPort };
    const opts = { callingAeTitle: 'MAMMOCAD', timeoutMs: 10000, extraSopClasses: CAD_OBJECT_SOP_CLASSES };
    await storeFilesOrThrow(endpoint, objects.map((o) => o.file), opts);
    await storeFilesOrThrow(endpoint, objects.map((o) => o.file), opts);

    const found = await orthanc.rest<Array<{ ID: string; MainDicomTags: { SOPInstanceUID: string } }>>('POST', '/tools/find', {
      Level: 'Instance',
      Query: { StudyInstanceUID: studyUid },
      Expand: true,
    });
    expect(found.map((f) => f.MainDicomTags.SOPInstanceUID).sort()).toEqual(objects.map((o) => o.sopInstanceUid).sort());
    const sopClasses = await Promise.all(
      objects.map(async (o) => {
        const id = found.find((f) => f.MainDicomTags.SOPInstanceUID === o.sopInstanceUid)!.ID;
        const tags = await orthanc.rest<Record<string, { Value: string }>>('GET', `/instances/${id}/tags?short`);
        return tags['0008,0016'] as unknown as string;
      }),
    );
    expect(sopClasses).toEqual(CAD_OBJECT_SOP_CLASSES);
  });
});
