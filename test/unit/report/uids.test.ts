import { ALGORITHM_IDENTITY } from '../../../src/detect/algorithmIdentity';
import { failedImageFindings } from '../../../src/pipeline/failedImageFindings';
import { objectUids } from '../../../src/report/documentHeader';
import { deterministicUid } from '../../../src/report/uids';
import { reportScenarios } from '../../helpers/reportScenarios';

describe('deterministic UIDs', () => {
  test('same parts give the same 2.25 UID of at most 64 characters', () => {
    const a = deterministicUid('1.2.3', 'mammoCadSr', 'model 1.0');
    expect(a).toBe(deterministicUid('1.2.3', 'mammoCadSr', 'model 1.0'));
    expect(a).toMatch(/^2\.25\.[1-9][0-9]*$/);
    expect(a.length).toBeLessThanOrEqual(64);
    expect(deterministicUid('1.2.3', 'tid1500Sr', 'model 1.0')).not.toBe(a);
    // Part boundaries matter: ('ab','c') is not ('a','bc').
    expect(deterministicUid('ab', 'c')).not.toBe(deterministicUid('a', 'bc'));
  });

  test('each object type gets its own series and instance, stable for a re-run, new for a new model', () => {
    const { study } = reportScenarios()[1];
    const cad = objectUids(study, 'mammoCadSr');
    const gsps = objectUids(study, 'gsps');
    expect(objectUids(study, 'mammoCadSr')).toEqual(cad);
    expect(new Set([cad.series, cad.instance, gsps.series, gsps.instance]).size).toBe(4);
    const retrained = {
      ...study,
      images: study.images.map((i) => ({ ...i, algorithm: { ...i.algorithm, version: '2.0.0' } })),
    };
    expect(objectUids(retrained, 'mammoCadSr').instance).not.toBe(cad.instance);
  });

  test('an image that failed and then succeeded on a retry keeps the UIDs of the objects, so the PACS replaces them', () => {
    const scenario = reportScenarios()[1].study;
    const study = {
      ...scenario,
      images: scenario.images.map((i) => ({ ...i, algorithm: { ...ALGORITHM_IDENTITY } })),
    };
    const [first, ...rest] = study.images;
    const failedFirst = {
      ...study,
      images: [failedImageFindings(study.studyUid, first, 'analysis failed: worker stopped'), ...rest],
    };
    for (const type of ['mammoCadSr', 'tid1500Sr', 'gsps'] as const)
      expect(objectUids(failedFirst, type)).toEqual(objectUids(study, type));
  });
});
