import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.join(__dirname, '../../..');
const TSX = path.join(repo, 'node_modules/.bin/tsx');
const MINI_MIAS = path.join(repo, '../shared/data/mini-mias-dev');

interface Report {
  images: { total: number; analysed: number; failed: number; failures: { id: string; reason: string }[] };
  clusterFroc: { images: number; leftOut: { id: string; reason: string }[]; trueClusters: number };
  perImage: {
    id: string;
    trueClusters: number | null;
    falseClusters: number | null;
    leftOutOfClusterFroc?: string;
  }[];
  malignancy: { perBreast: { breasts: number; malignant: number; withClusters: number } };
}

describe('npm run eval on an imperfect mini-MIAS folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-eval-failures-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  (fs.existsSync(MINI_MIAS) ? it : it.skip)(
    'goes on past a corrupt PNG and a missing one, and leaves spread calcifications out of the FROC but not the breasts',
    () => {
      // mdb211: a malignant cluster with its circle. mdb213: malignant, its centre and radius removed (as
      // for calcifications spread through the breast). mdb006: a corrupt PNG. mdb999: no image at all.
      const data = path.join(dir, 'mias');
      fs.mkdirSync(path.join(data, 'images'), { recursive: true });
      const lines = fs.readFileSync(path.join(MINI_MIAS, 'annotations.csv'), 'utf8').trim().split(/\r?\n/);
      fs.writeFileSync(
        path.join(data, 'annotations.csv'),
        [
          lines[0],
          ...lines.filter((l) => l.startsWith('mdb211,')),
          'mdb213,G,CALC,M,,,,,',
          'mdb006,F,NORM,,,,,,',
          'mdb999,G,CALC,B,500,500,20,524,',
        ].join('\n') + '\n',
      );
      for (const ref of ['mdb211', 'mdb213'])
        fs.symlinkSync(path.join(MINI_MIAS, 'images', `${ref}.png`), path.join(data, 'images', `${ref}.png`));
      const corrupt = path.join(data, 'images', 'mdb006.png');
      fs.writeFileSync(
        corrupt,
        fs.readFileSync(path.join(MINI_MIAS, 'images', 'mdb006.png')).subarray(0, 3000),
      );

      const out = path.join(dir, 'out');
      const json = path.join(out, 'report.json');
      const run = spawnSync(TSX, [path.join(repo, 'scripts/eval/evaluate.ts'), data, '--json', json], {
        cwd: repo,
        encoding: 'utf8',
      });
      expect(run.status).toBe(0);
      const report = JSON.parse(fs.readFileSync(json, 'utf8')) as Report;
      // The report and its plot were renamed into place: no temp file is left beside them.
      expect(fs.readdirSync(out).sort()).toEqual(['report.froc.svg', 'report.json']);

      expect(report.images).toMatchObject({ total: 4, analysed: 2, failed: 2 });
      const failures = new Map(report.images.failures.map((f) => [f.id, f.reason]));
      expect(failures.get('mdb999')).toBe(`image file missing: ${path.join(data, 'images', 'mdb999.png')}`);
      expect(failures.get('mdb006')).toContain(corrupt);

      expect(report.clusterFroc).toMatchObject({ images: 1, trueClusters: 1 });
      expect(report.clusterFroc.leftOut).toEqual([
        { id: 'mdb213', reason: expect.stringContaining('without centre and radius') },
      ]);
      const mdb213 = report.perImage.find((p) => p.id === 'mdb213');
      expect(mdb213).toMatchObject({ trueClusters: null, falseClusters: null });
      expect(run.stderr).toMatch(
        /mdb213: .*left out of the cluster FROC: calcifications without centre and radius/,
      );
      expect(run.stdout).toContain('"leftOut"');
      // Both analysed breasts are malignant: mdb213's counts although it has no region to hit.
      expect(report.malignancy.perBreast).toMatchObject({ breasts: 2, malignant: 2, withClusters: 2 });
    },
    120_000,
  );
});
