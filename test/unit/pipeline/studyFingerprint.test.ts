import { studyFingerprint } from '../../../src/pipeline/studyFingerprint';

describe('study fingerprint (names one build of a study\'s objects)', () => {
  const a = { sopInstanceUid: '1.2.3.1', status: 'analysed' as const };
  const b = { sopInstanceUid: '1.2.3.2', status: 'analysed' as const };

  it('is the same for the same images and outcomes in any order', () => {
    expect(studyFingerprint([a, b])).toBe(studyFingerprint([b, a]));
    expect(studyFingerprint([a, b])).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes with a late image, a changed outcome, or a rerun generation', () => {
    const base = studyFingerprint([a, b]);
    expect(studyFingerprint([a, b, { sopInstanceUid: '1.2.3.3', status: 'analysed' }])).not.toBe(base);
    expect(studyFingerprint([a, { ...b, status: 'failed' }])).not.toBe(base);
    expect(studyFingerprint([a, b], 1)).not.toBe(base);
  });
});
