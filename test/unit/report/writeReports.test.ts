import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from '../../../src/dicom/implementationIdentity';
import { part10ToDataset, writeReports } from '../../../src/report';
import { reportScenario } from '../../helpers/reportScenarios';

describe('writeReports', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-write-reports-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { study, headers } = reportScenario('oneCluster');

  test('writes the three objects as Part 10 Explicit VR Little Endian files with mammocad meta', async () => {
    const paths = await writeReports(study, headers, path.join(dir, 'a'), { operatingPoint: 0.3 });
    expect(Object.keys(paths).sort()).toEqual(['gsps', 'mammoCadSr', 'tid1500Sr']);
    const classes = {
      mammoCadSr: '1.2.840.10008.5.1.4.1.1.88.50',
      tid1500Sr: '1.2.840.10008.5.1.4.1.1.88.33',
      gsps: '1.2.840.10008.5.1.4.1.1.11.1',
    };
    for (const [type, file] of Object.entries(paths)) {
      const bytes = fs.readFileSync(file);
      expect(bytes.subarray(128, 132).toString('latin1')).toBe('DICM');
      const ds = part10ToDataset(bytes);
      expect(ds._meta.TransferSyntaxUID).toBe('1.2.840.10008.1.2.1');
      expect(ds._meta.MediaStorageSOPInstanceUID).toBe(ds.SOPInstanceUID);
      // The same implementation identity the receiver announces on the wire (conformance statement).
      expect(ds._meta.ImplementationClassUID).toBe(IMPLEMENTATION_CLASS_UID);
      expect(ds._meta.ImplementationVersionName).toBe(IMPLEMENTATION_VERSION_NAME);
      expect(ds.SOPClassUID).toBe(classes[type as keyof typeof classes]);
      expect(ds.StudyInstanceUID).toBe(study.studyUid);
    }
    expect(fs.readdirSync(path.join(dir, 'a')).sort()).toEqual([
      'gsps.dcm',
      'mammoCadSr.dcm',
      'tid1500Sr.dcm',
    ]);
  });

  test('processing the study again gives the same identities (and the same bytes at the same time)', async () => {
    const now = new Date('2026-01-10T10:00:00Z');
    const first = await writeReports(study, headers, path.join(dir, 'b'), { operatingPoint: 0.3, now });
    const again = await writeReports(study, headers, path.join(dir, 'c'), { operatingPoint: 0.3, now });
    const later = await writeReports(study, headers, path.join(dir, 'd'), { operatingPoint: 0.3 });
    for (const type of ['mammoCadSr', 'tid1500Sr', 'gsps'] as const) {
      expect(fs.readFileSync(again[type])).toEqual(fs.readFileSync(first[type]));
      const a = part10ToDataset(fs.readFileSync(first[type]));
      const b = part10ToDataset(fs.readFileSync(later[type]));
      expect([b.SeriesInstanceUID, b.SOPInstanceUID]).toEqual([a.SeriesInstanceUID, a.SOPInstanceUID]);
    }
  });
});
