import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { datasetToPart10, type NaturalDataset } from '../../../src/dicom/datasetFile';
import { buildRejectionNote } from '../../../src/report/rejectionNoteDocument';
import { byStudy, readRejectionNote } from '../../../src/rejection/rejectionNote';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-rejection-note-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const studyHeader = { PatientName: 'Doe^Jane', PatientID: 'P-1', StudyDate: '20261201', AccessionNumber: 'A-7' };
const mg = '1.2.840.10008.5.1.4.1.1.1.2';
const objects = [
  { seriesUid: '1.2.3.1', sopClassUid: mg, sopInstanceUid: '1.2.3.1.1' },
  { seriesUid: '1.2.3.1', sopClassUid: mg, sopInstanceUid: '1.2.3.1.2' },
  { seriesUid: '1.2.3.2', sopClassUid: '1.2.840.10008.5.1.4.1.1.88.50', sopInstanceUid: '1.2.3.2.1' },
];

function write(name: string, ds: NaturalDataset): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, datasetToPart10(ds));
  return file;
}

const note = (overrides: NaturalDataset = {}) => ({
  ...buildRejectionNote({ titleCode: '113037', studyUid: '1.2.3', studyHeader, objects, description: 'wrong patient' }),
  ...overrides,
});

describe('rejection notes (Key Object Selection documents)', () => {
  it('a note we build reads back as the rejection of exactly its objects, grouped by study', () => {
    const reading = readRejectionNote(write('113037.dcm', note()));
    expect(reading).toEqual({
      kind: 'rejection',
      titleCode: '113037',
      title: 'Rejected for Patient Safety Reasons',
      instances: objects.map((o) => ({ studyUid: '1.2.3', ...o })),
    });
    if (reading.kind !== 'rejection') throw new Error('unreachable');
    expect([...byStudy(reading.instances).keys()]).toEqual(['1.2.3']);
  });

  it('the note carries the study, its patient, KO modality, TID 2010, IMAGE items for images and COMPOSITE for the SR', () => {
    const ds = note();
    expect(ds).toMatchObject({ Modality: 'KO', StudyInstanceUID: '1.2.3', PatientID: 'P-1', AccessionNumber: 'A-7' });
    expect(ds.ContentTemplateSequence).toEqual([{ MappingResource: 'DCMR', TemplateIdentifier: '2010' }]);
    expect(ds.ContentSequence.map((i: NaturalDataset) => i.ValueType)).toEqual(['TEXT', 'IMAGE', 'IMAGE', 'COMPOSITE']);
    // Same rejection, same document; another title, another one.
    expect(note().SOPInstanceUID).toBe(ds.SOPInstanceUID);
    expect(buildRejectionNote({ titleCode: '113001', studyUid: '1.2.3', studyHeader, objects }).SOPInstanceUID).not.toBe(ds.SOPInstanceUID);
  });

  it('a key object document with another title ("Of Interest") changes nothing', () => {
    const ofInterest = note({ ConceptNameCodeSequence: [{ CodeValue: '113000', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Of Interest' }] });
    expect(readRejectionNote(write('113000.dcm', ofInterest))).toEqual({ kind: 'other', title: '(113000, DCM, "Of Interest")' });
    // A rejection code of another scheme is not a rejection.
    const otherScheme = note({ ConceptNameCodeSequence: [{ CodeValue: '113037', CodingSchemeDesignator: '99LOCAL', CodeMeaning: 'x' }] });
    expect(readRejectionNote(write('local.dcm', otherScheme)).kind).toBe('other');
  });

  it('refuses a note it cannot act on, saying why', () => {
    expect(() => readRejectionNote(write('empty.dcm', note({ CurrentRequestedProcedureEvidenceSequence: [] })))).toThrow(/references no instance/);
    const badUid = note();
    badUid.CurrentRequestedProcedureEvidenceSequence[0].ReferencedSeriesSequence[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID = '../../etc';
    expect(() => readRejectionNote(write('bad-uid.dcm', badUid))).toThrow(/invalid UID/);
    expect(() => readRejectionNote(write('untitled.dcm', note({ ConceptNameCodeSequence: [] })))).toThrow(/without a title/);
    expect(() => readRejectionNote(write('not-kos.dcm', note({ SOPClassUID: mg })))).toThrow(/not a Key Object Selection document/);
    expect(() => buildRejectionNote({ titleCode: '113000', studyUid: '1.2.3', studyHeader, objects })).toThrow(/not a rejection note title/);
  });
});
