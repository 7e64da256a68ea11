import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeReports, type ReportPaths } from '../../../src/report';
import { datasetToPart10, part10ToDataset } from '../../../src/dicom/datasetFile';
import { buildRejectionNote } from '../../../src/report/rejectionNoteDocument';
import { dciodvfy, dsrdump, pixelmedSrValidate, validatorsAvailable } from '../../helpers/dicomValidators';
import { reportScenarios } from '../../helpers/reportScenarios';

/**
 * The validation gate of SR.md: every object of every scenario passes dciodvfy, dsrdump and
 * PixelMed's template validator. PixelMed runs once for all SR files (a JVM start costs seconds).
 */
const available = validatorsAvailable();
const describeIfTools = available ? describe : describe.skip;
if (!available)
  console.warn('report validation gate skipped: dciodvfy, dsrdump, java or pixelmed.jar missing');

describeIfTools('report validation gate', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-report-gate-'));
  const written = new Map<string, ReportPaths>();
  let pixelmed = new Map<string, string[]>();
  const rejectionNote = path.join(dir, 'rejection-note.dcm');

  beforeAll(async () => {
    for (const s of reportScenarios()) {
      written.set(
        s.name,
        await writeReports(s.study, s.headers, path.join(dir, s.name), { operatingPoint: 0.3 }),
      );
    }
    // Our rejection note withdrawing one scenario's three objects (src/rejection/withdrawStudy.ts).
    const objects = Object.values(written.values().next().value!).map((f) => part10ToDataset(fs.readFileSync(f)));
    const note = buildRejectionNote({
      titleCode: '113038',
      studyUid: objects[0].StudyInstanceUID,
      studyHeader: objects[0],
      objects: objects.map((o) => ({ seriesUid: o.SeriesInstanceUID, sopClassUid: o.SOPClassUID, sopInstanceUid: o.SOPInstanceUID })),
      description: 'CAD results withdrawn: their images were rejected',
    });
    fs.writeFileSync(rejectionNote, datasetToPart10(note));
    const srFiles = [...written.values()].flatMap((p) => [p.mammoCadSr, p.tid1500Sr]);
    pixelmed = pixelmedSrValidate([...srFiles, rejectionNote]);
  }, 600_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const scenarioNames = reportScenarios().map((s) => s.name);

  test.each(scenarioNames)('%s: dciodvfy -new reports no error for all three objects', (name) => {
    const paths = written.get(name)!;
    for (const [type, file] of Object.entries(paths)) {
      const lines = dciodvfy(file);
      const expectedIod = {
        mammoCadSr: 'MammographyCADSR',
        tid1500Sr: 'ComprehensiveSR',
        gsps: 'GrayscaleSoftcopyPresentationState',
      }[type];
      expect(lines[0]).toBe(expectedIod);
      expect(lines.filter((l) => l.includes('Error'))).toEqual([]);
    }
  });

  test.each(scenarioNames)('%s: dsrdump finds no error and no dangling reference in either SR', (name) => {
    const paths = written.get(name)!;
    for (const file of [paths.mammoCadSr, paths.tid1500Sr]) {
      const { stdout, all } = dsrdump(file);
      expect(all.filter((l) => l.startsWith('E:') || l.includes('does not exist'))).toEqual([]);
      expect(stdout).toContain('<CONTAINER:');
    }
  });

  test.each(scenarioNames)('%s: PixelMed finds the root template and no error', (name) => {
    const paths = written.get(name)!;
    const cad = pixelmed.get(paths.mammoCadSr) ?? [];
    const tid1500 = pixelmed.get(paths.tid1500Sr) ?? [];
    expect(cad).toContain('Found Root Template TID_4000 (MammographyCADDocumentRoot)');
    expect(tid1500).toContain('Found Root Template TID_1500 (MeasurementReport)');
    expect(cad.filter((l) => l.startsWith('Error:'))).toEqual([]);
    expect(tid1500.filter((l) => l.startsWith('Error:'))).toEqual([]);
  });

  test('our rejection note (Key Object Selection, TID 2010) passes all three', () => {
    const lines = dciodvfy(rejectionNote);
    expect(lines[0]).toBe('KeyObjectSelectionDocument');
    expect(lines.filter((l) => l.includes('Error'))).toEqual([]);
    const { stdout, all } = dsrdump(rejectionNote);
    expect(all.filter((l) => l.startsWith('E:') || l.includes('does not exist'))).toEqual([]);
    expect(stdout).toContain('Incorrect Modality Worklist Entry');
    expect(stdout.match(/contains COMPOSITE/g)).toHaveLength(3);
    const report = pixelmed.get(rejectionNote) ?? [];
    expect(report).toContain('Found Root Template TID_2010 (KeyObjectSelection)');
    expect(report.filter((l) => l.startsWith('Error:'))).toEqual([]);
  });
});
