import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSchema } from '../../../src/config/schema';
import { miasNormalImages } from '../../../src/synth/tissue/referenceImages';
import { clusterMarkHits, inUnscoredRegion, miniMiasCases, syntheticCases, type CaseFailure } from '../../../scripts/eval/evaluationCases';
import { scoredSpeckMarks } from '../../../scripts/eval/speckFrocMarks';
import { makeMgImage, writeMgImage } from '../../helpers/mgImage';

const MINI_MIAS = path.join(__dirname, '../../../../shared/data/mini-mias-dev');
const HEADER = 'refnum,background,abn_class,severity,x,y_bottom_origin,radius,row_top_origin,note';

describe('evaluation cases', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-eval-cases-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A mini-MIAS folder: annotations.csv and an (empty or given) PNG per named image. */
  function mias(lines: string[], images: Record<string, string | Buffer>): string {
    fs.mkdirSync(path.join(dir, 'images'));
    fs.writeFileSync(path.join(dir, 'annotations.csv'), lines.join('\n') + '\n');
    for (const [ref, content] of Object.entries(images))
      fs.writeFileSync(path.join(dir, 'images', `${ref}.png`), content);
    return dir;
  }

  it('mini-MIAS: a CALC row without centre and radius makes the image unlocalised abnormal, of its severity', () => {
    const folder = mias(
      [HEADER, 'mdb211,G,CALC,M,680,327,13,697,', 'mdb213,G,CALC,M,,,,,', 'mdb006,F,NORM,,,,,,'],
      { mdb211: '', mdb213: '', mdb006: '' },
    );
    const byId = new Map(miniMiasCases(folder).map((c) => [c.id, c]));
    expect(byId.get('mdb213')?.clusters).toEqual([]);
    expect(byId.get('mdb213')?.unlocalised).toEqual({
      pathology: 'malignant',
      reason: expect.stringContaining('without centre and radius'),
    });
    expect(byId.get('mdb211')?.unlocalised).toBeUndefined();
    expect(byId.get('mdb211')?.clusters.map((k) => k.pathology)).toEqual(['malignant']);
    expect(byId.get('mdb006')?.unlocalised).toBeUndefined();
  });

  it('mini-MIAS: rows from y_bottom_origin when row_top_origin is absent; a missing or non-numeric value is an error', () => {
    const folder = mias(
      ['refnum,background,abn_class,severity,x,y_bottom_origin,radius,note', 'mdb211,G,CALC,M,680,327,13,'],
      { mdb211: '' },
    );
    const [c] = miniMiasCases(folder);
    expect(c.clusters[0].region).toEqual({ center: { x: 680, y: 1024 - 327 }, radius: 13 });

    fs.writeFileSync(
      path.join(folder, 'annotations.csv'),
      'refnum,background,abn_class,severity,x,radius,note\nmdb211,G,CALC,M,680,13,\n',
    );
    expect(() => miniMiasCases(folder)).toThrow(
      /annotations\.csv: no column row_top_origin or y_bottom_origin$/,
    );

    fs.writeFileSync(
      path.join(folder, 'annotations.csv'),
      [HEADER, 'mdb006,F,NORM,,,,,,', 'mdb211,G,CALC,M,680,327,13,abc,'].join('\n'),
    );
    expect(() => miniMiasCases(folder)).toThrow(/annotations\.csv line 3: .*"680", "abc", "13"/);
  });

  it('mini-MIAS: a byte-order mark before the header is no missing column', () => {
    const folder = mias(['\uFEFF' + HEADER, 'mdb211,G,CALC,M,680,327,13,697,'], { mdb211: '' });
    expect(miniMiasCases(folder).map((c) => [c.id, c.clusters.length])).toEqual([['mdb211', 1]]);
  });

  it('mini-MIAS: a labelled image without its PNG is a failure, not dropped', () => {
    const folder = mias([HEADER, 'mdb211,G,CALC,M,680,327,13,697,', 'mdb999,G,CALC,M,500,500,20,524,'], {
      mdb211: '',
    });
    const failures: CaseFailure[] = [];
    expect(miniMiasCases(folder, failures).map((c) => c.id)).toEqual(['mdb211']);
    expect(failures).toEqual([
      { id: 'mdb999', reason: `image file missing: ${path.join(folder, 'images', 'mdb999.png')}` },
    ]);
  });

  it('mini-MIAS: a corrupt PNG fails its own preparation, naming the file, instead of throwing', async () => {
    const folder = mias([HEADER, 'mdb006,F,NORM,,,,,,'], {
      mdb006: Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(40, 7)]),
    });
    const [c] = miniMiasCases(folder);
    const prepared = await c.prepare(configSchema.parse({}).imaging);
    expect(prepared.ok).toBe(false);
    expect(!prepared.ok && prepared.reason).toContain(path.join(folder, 'images', 'mdb006.png'));
  });

  it('mini-MIAS laterality: even numbers are left breasts, odd right (also for the tissue images)', () => {
    const folder = mias([HEADER, 'mdb001,G,NORM,,,,,,', 'mdb002,G,NORM,,,,,,'], { mdb001: '', mdb002: '' });
    expect(miniMiasCases(folder).map((c) => [c.id, c.breast])).toEqual([
      ['mdb001', 'woman1-R'],
      ['mdb002', 'woman1-L'],
    ]);
    const data = path.join(dir, 'data');
    fs.mkdirSync(path.join(data, 'mini-mias-dev'), { recursive: true });
    fs.renameSync(folder + '/images', path.join(data, 'mini-mias-dev', 'images'));
    fs.renameSync(folder + '/annotations.csv', path.join(data, 'mini-mias-dev', 'annotations.csv'));
    const tissue = [...miasNormalImages(true, data), ...miasNormalImages(false, data)];
    expect(tissue.map((t) => [t.name, t.laterality]).sort()).toEqual([
      ['mdb001', 'R'],
      ['mdb002', 'L'],
    ]);
  });

  (fs.existsSync(MINI_MIAS) ? it : it.skip)(
    'mini-MIAS laterality decides mdb151, whose outline cannot: odd, so right, chest wall mirrored to x = 0',
    async () => {
      const folder = mias([HEADER, 'mdb151,F,NORM,,,,,,'], {});
      fs.symlinkSync(path.join(MINI_MIAS, 'images', 'mdb151.png'), path.join(folder, 'images', 'mdb151.png'));
      const prepared = await miniMiasCases(folder)[0].prepare(configSchema.parse({}).imaging);
      if (!prepared.ok) throw new Error(prepared.reason);
      expect(prepared.image.flipped).toBe(true);
    },
  );

  it("a site's DICOM images: spacing and side from the header, radius floored at 2 mm in its pixels, breasts from the breast column; unreadable files and bottom-origin rows fail", () => {
    const folder = mias(
      [
        'refnum,abn_class,severity,x,row_top_origin,radius,breast',
        'site1,CALC,B,60,70,5,exam7-R',
        'site2,NORM,,,,,exam7-R',
        'site3,NORM,,,,,',
        'torn,NORM,,,,,',
      ],
      {},
    );
    const image = (name: string) =>
      makeMgImage({ studyUid: '1.2.826.0.1.3680043.8.498.77', name, laterality: 'R', view: 'CC' });
    for (const ref of ['site1', 'site2', 'site3'])
      writeMgImage(path.join(folder, 'images', `${ref}.dcm`), image(ref));
    fs.writeFileSync(path.join(folder, 'images', 'torn.dcm'), Buffer.alloc(300, 1));
    const failures: CaseFailure[] = [];
    const cases = miniMiasCases(folder, failures);
    expect(cases.map((c) => [c.id, c.breast, c.spacingMm])).toEqual([
      ['site1', 'exam7-R', 0.1],
      ['site2', 'exam7-R', 0.1],
      ['site3', 'site3-R', 0.1],
    ]);
    // 5 px at 0.1 mm is under 2 mm: 20 px.
    expect(cases[0].clusters).toEqual([
      { id: 'site1#1', region: { center: { x: 60, y: 70 }, radius: 20 }, pathology: 'benign' },
    ]);
    expect(failures).toEqual([{ id: 'torn', reason: expect.stringMatching(/torn\.dcm: not analysable: /) }]);

    fs.writeFileSync(
      path.join(folder, 'annotations.csv'),
      'refnum,abn_class,severity,x,y_bottom_origin,radius\nsite1,CALC,B,60,70,5\n',
    );
    const bottom: CaseFailure[] = [];
    expect(miniMiasCases(folder, bottom)).toEqual([]);
    expect(bottom[0].reason).toMatch(/DICOM images need positions as row_top_origin/);
  });

  /** A synthetic truth file with the fields evaluation reads. */
  const truth = {
    version: 1,
    seed: 1,
    rows: 20,
    columns: 20,
    pixelSpacingMm: [0.1, 0.1],
    laterality: 'L',
    view: 'CC',
    tissue: 'procedural',
    specks: [],
    clusters: [],
  };

  it('synthetic: unlabelled real findings become unscored circles in original pixels; a mark there that hits no speck is left out', () => {
    const spacing = { pixelSpacingMm: [0.1, 0.1] };
    const speck = { x: 4, y: 4, diameterMm: 0.3, lengthMm: 0.3, type: 'punctate', cnr: 5, clusterId: null };
    const unlabelled = [{ center: { x: 10, y: 10 }, radiusMm: 0.5, what: 'a real calcification' }];
    fs.writeFileSync(path.join(dir, 'L_CC.truth.json'), JSON.stringify({ ...truth, ...spacing, specks: [speck], unlabelled }));
    fs.writeFileSync(path.join(dir, 'R_CC.truth.json'), JSON.stringify(truth));
    fs.writeFileSync(path.join(dir, 'R_MLO.truth.json'), JSON.stringify({ ...truth, unlabelled: [{ center: { x: 1, y: 1 }, radiusMm: -1 }] }));
    for (const name of ['L_CC', 'R_CC', 'R_MLO']) fs.writeFileSync(path.join(dir, `${name}.dcm`), '');
    const failures: CaseFailure[] = [];
    const [withFinding, without] = syntheticCases(dir, failures);
    expect(withFinding.unscored).toEqual([{ center: { x: 10, y: 10 }, radius: 5 }]);
    expect(without.unscored).toBeUndefined();
    expect(failures).toEqual([{ id: 'R_MLO.dcm', reason: expect.stringMatching(/R_MLO\.truth\.json: incomplete ground truth: unlabelled\.0\.radiusMm: .*; unlabelled\.0\.what: Required/) }]);

    expect(inUnscoredRegion({ x: 13, y: 14 }, withFinding)).toBe(true); // 5 px from the centre: on the rim
    expect(inUnscoredRegion({ x: 14, y: 14 }, withFinding)).toBe(false);
    expect(inUnscoredRegion({ x: 10, y: 10 }, without)).toBe(false);
    const marks = [
      { center: { x: 11, y: 10 }, id: 'on the real finding' },
      { center: { x: 4, y: 5 }, id: 'on the listed speck' },
      { center: { x: 30, y: 30 }, id: 'false' },
    ];
    expect(scoredSpeckMarks(marks, withFinding.specks!, withFinding).map((m) => m.id)).toEqual(['on the listed speck', 'false']);
    // A listed speck inside the circle is still a target: a mark on it is a hit, kept.
    const inside = { ...withFinding, specks: [{ ...speck, x: 11, y: 10 }] };
    expect(scoredSpeckMarks(marks, inside.specks, inside).map((m) => m.id)).toEqual(marks.map((m) => m.id));
    expect(scoredSpeckMarks(marks, [], without)).toBe(marks);
  });

  it('a cluster mark hits the true clusters around its centre; one at an unlisted real finding that hits none is unscored (null)', () => {
    const square = (x: number) => ({ polygon: [{ x, y: 0 }, { x: x + 10, y: 0 }, { x: x + 10, y: 10 }, { x, y: 10 }] });
    const a = { id: 'a', region: square(0), pathology: 'benign' as const, visible: true, biradsCluster: true };
    const b = { id: 'b', region: { center: { x: 5, y: 5 }, radius: 3 }, pathology: 'malignant' as const, visible: true, biradsCluster: true };
    const c = { clusters: [a, b], unscored: [{ center: { x: 50, y: 50 }, radius: 5 }, { center: { x: 5, y: 5 }, radius: 5 }] };
    expect(clusterMarkHits({ x: 5, y: 5 }, c)).toEqual([a, b]);
    expect(clusterMarkHits({ x: 9, y: 9 }, c)).toEqual([a]);
    expect(clusterMarkHits({ x: 52, y: 50 }, c)).toBeNull();
    expect(clusterMarkHits({ x: 30, y: 30 }, c)).toEqual([]);
    expect(clusterMarkHits({ x: 52, y: 50 }, { clusters: [a] })).toEqual([]);
  });

  it('synthetic: a truth file without its image is a failure, not dropped', () => {
    fs.writeFileSync(path.join(dir, 'L_CC.truth.json'), JSON.stringify(truth));
    fs.writeFileSync(path.join(dir, 'L_CC.dcm'), '');
    fs.writeFileSync(path.join(dir, 'R_CC.truth.json'), JSON.stringify(truth));
    const failures: CaseFailure[] = [];
    expect(syntheticCases(dir, failures).map((c) => c.id)).toEqual(['L_CC.dcm']);
    expect(failures).toEqual([
      { id: 'R_CC.dcm', reason: expect.stringMatching(/^image file missing: .*R_CC\.dcm/) },
    ]);
  });

  it('synthetic: a malformed or incomplete truth file is a failure naming the file and what is wrong', () => {
    fs.writeFileSync(path.join(dir, 'L_CC.truth.json'), '{"version":1,');
    const { specks: _s, ...noSpecks } = truth;
    fs.writeFileSync(path.join(dir, 'R_CC.truth.json'), JSON.stringify(noSpecks));
    fs.writeFileSync(path.join(dir, 'R_MLO.truth.json'), JSON.stringify(truth));
    for (const name of ['L_CC', 'R_CC', 'R_MLO']) fs.writeFileSync(path.join(dir, `${name}.dcm`), '');
    const failures: CaseFailure[] = [];
    expect(syntheticCases(dir, failures).map((c) => c.id)).toEqual(['R_MLO.dcm']);
    expect(failures).toEqual([
      { id: 'L_CC.dcm', reason: expect.stringMatching(/L_CC\.truth\.json: unreadable ground truth: /) },
      {
        id: 'R_CC.dcm',
        reason: expect.stringMatching(/R_CC\.truth\.json: incomplete ground truth: specks: Required/),
      },
    ]);
    // Callers that collect no failures get an error naming the file rather than a bare JSON message.
    expect(() => syntheticCases(dir)).toThrow(/L_CC\.truth\.json: unreadable ground truth/);
  });
});
