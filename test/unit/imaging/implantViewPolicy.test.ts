import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareImage, readImageHeader } from '../../../src/imaging';
import { implantViewReason } from '../../../src/imaging/implantViewPolicy';
import { makeMgImage, writeMgImage } from '../../helpers/mgImage';

const cc = { CodeValue: '399162004', CodingSchemeDesignator: 'SCT', CodeMeaning: 'cranio-caudal' };
const modifier = (CodeValue: string, CodingSchemeDesignator: string, CodeMeaning: string) => ({ CodeValue, CodingSchemeDesignator, CodeMeaning });

describe('reading the implant attributes', () => {
  it('Breast Implant Present: YES, NO (any case, padded), absent or another value says nothing', () => {
    expect(readImageHeader({ BreastImplantPresent: 'YES' }).breastImplantPresent).toBe(true);
    expect(readImageHeader({ BreastImplantPresent: 'yes ' }).breastImplantPresent).toBe(true);
    expect(readImageHeader({ BreastImplantPresent: 'NO' }).breastImplantPresent).toBe(false);
    expect(readImageHeader({}).breastImplantPresent).toBeUndefined();
    expect(readImageHeader({ BreastImplantPresent: 'UNKNOWN' }).breastImplantPresent).toBeUndefined();
  });

  it('Implant Displaced: by SNOMED CT or SNOMED-RT code or by meaning, inside the view item or at the top level', () => {
    const displaced = (ds: Record<string, unknown>) => readImageHeader(ds).implantDisplaced;
    expect(displaced({ ViewCodeSequence: [{ ...cc, ViewModifierCodeSequence: [modifier('399209000', 'SCT', 'Implant Displaced')] }] })).toBe(true);
    expect(displaced({ ViewCodeSequence: [{ ...cc, ViewModifierCodeSequence: [modifier('R-102D5', 'SRT', 'Implant Displaced')] }] })).toBe(true);
    expect(displaced({ ViewCodeSequence: [{ ...cc, ViewModifierCodeSequence: [modifier('X1', '99LOCAL', 'implant displaced')] }] })).toBe(true);
    expect(displaced({ ViewCodeSequence: [cc], ViewModifierCodeSequence: [modifier('399209000', 'SCT', 'Implant Displaced')] })).toBe(true);
    // Another modifier (Magnification, Spot Compression) is not an Eklund view.
    expect(
      displaced({
        ViewCodeSequence: [{ ...cc, ViewModifierCodeSequence: [modifier('399163009', 'SCT', 'Magnification'), modifier('399055006', 'SCT', 'Spot Compression')] }],
      }),
    ).toBe(false);
    expect(displaced({ ViewCodeSequence: [cc] })).toBe(false);
    expect(displaced({})).toBe(false);
  });
});

describe('implantViewReason', () => {
  it('leaves out only an image that says it holds an implant and is not implant-displaced', () => {
    expect(implantViewReason({ breastImplantPresent: true, implantDisplaced: false })).toMatch(/^not analysed: breast implant in the image \(Breast Implant Present YES, not an implant-displaced view\)/);
    expect(implantViewReason({ breastImplantPresent: true, implantDisplaced: true })).toBeUndefined();
    expect(implantViewReason({ breastImplantPresent: false, implantDisplaced: false })).toBeUndefined();
    expect(implantViewReason({ implantDisplaced: false })).toBeUndefined();
  });
});

describe('prepareImage and implant views', () => {
  let dir: string;
  const opts = { workingSpacingMm: 0.07, defaultSpacingMm: 0.1 };
  const write = (name: string, implant?: 'inView' | 'displaced') => {
    const file = join(dir, `${name}.dcm`);
    writeMgImage(file, makeMgImage({ studyUid: '1.2.826.0.1.3680043.10.9', name, laterality: 'L', view: 'CC', implant }));
    return file;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mc-implant-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an implant view is not analysed, with its reason, unless imaging.analyseImplantViews says so', async () => {
    const file = write('inView', 'inView');
    const left = await prepareImage(file, opts);
    expect(left).toMatchObject({ ok: false, notAnalysed: true, reason: implantViewReason({ breastImplantPresent: true }) });
    // The header comes with it: the findings of an image left out still name it.
    expect(!left.ok && left.header).toMatchObject({ breastImplantPresent: true, sopInstanceUid: expect.stringMatching(/^[0-9.]+$/) });
    const analysed = await prepareImage(file, { ...opts, analyseImplantViews: true });
    expect(analysed.ok).toBe(true);
  });

  it('an implant-displaced view and a view without an implant are prepared as before', async () => {
    for (const file of [write('displaced', 'displaced'), write('none')]) {
      const r = await prepareImage(file, opts);
      expect(r.ok).toBe(true);
    }
  });
});
