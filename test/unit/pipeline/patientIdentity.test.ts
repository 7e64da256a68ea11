import { patientsInStudy } from '../../../src/pipeline/patientIdentity';

describe('patientsInStudy: how many patients the images of one study belong to', () => {
  it('one Patient ID is one patient, whatever the names say', () => {
    expect(patientsInStudy([{ PatientID: 'P1', PatientName: { Alphabetic: 'Doe^Jane' } }, { PatientID: 'P1 ', PatientName: { Alphabetic: 'DOE^JANE^' } }])).toBe(1);
  });

  it('two Patient IDs are two patients', () => {
    expect(patientsInStudy([{ PatientID: 'P1' }, { PatientID: 'P1' }, { PatientID: 'P2' }])).toBe(2);
  });

  it('an issuer counts only where both images name one', () => {
    expect(patientsInStudy([{ PatientID: 'P1', IssuerOfPatientID: 'HOSP' }, { PatientID: 'P1' }])).toBe(1);
    expect(patientsInStudy([{ PatientID: 'P1', IssuerOfPatientID: 'HOSP' }, { PatientID: 'P1', IssuerOfPatientID: 'CLINIC' }])).toBe(2);
  });

  it('images without a Patient ID disagree with nobody', () => {
    expect(patientsInStudy([{ PatientID: '' }, {}, { PatientID: 'P1' }])).toBe(1);
    expect(patientsInStudy([{}, {}])).toBe(0);
  });
});
