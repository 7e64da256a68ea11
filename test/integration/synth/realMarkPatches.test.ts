import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cutRegion } from '../../../src/classify/clusterRegion';
import { configSchema } from '../../../src/config/schema';
import { miniMiasCases } from '../../../scripts/eval/evaluationCases';

const repo = path.join(__dirname, '../../..');
const TSX = path.join(repo, 'node_modules/.bin/tsx');
const MINI_MIAS = path.join(repo, '../shared/data/mini-mias-dev');
// Which normals are training normals, and their windows, come from the real images; a clone without
// ../shared lacks them, and only the argument check runs there.
const haveMias = fs.existsSync(path.join(MINI_MIAS, 'images'));
if (!haveMias)
  console.warn(`skipping the synth:real-marks tests that read mini-MIAS: ${MINI_MIAS} not found`);
const withMias = haveMias ? it : it.skip;

interface Mark {
  image: string;
  x: number;
  y: number;
  detection: number;
  malignancy: number;
}

function realMarks(...args: string[]) {
  return spawnSync(TSX, [path.join(repo, 'scripts/synth/writeRealMarkPatches.ts'), ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
}

describe('npm run synth:real-marks (scripts/synth/writeRealMarkPatches.ts)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-real-marks-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  withMias('refuses a held-out normal, which must stay a check', () => {
    // mdb157 is in the held-out fifth of the normals (referenceImages.ts).
    const run = realMarks('--out', path.join(dir, 'refused'), '--images', 'mdb133,mdb157');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/not mini-MIAS training normals.*: mdb157$/m);
    expect(fs.existsSync(path.join(dir, 'refused', 'meta.json'))).toBe(false);
  });

  it('refuses a copy count that would write nothing', () => {
    const run = realMarks('--out', path.join(dir, 'none'), '--images', 'mdb133', '--copies', '0');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/--copies must be a whole number >= 1/);
  });

  withMias(
    "cuts the region CNN's own window around each cluster on a training normal, every one benign",
    async () => {
      const out = path.join(dir, 'mdb133');
      const run = realMarks('--out', out, '--images', 'mdb133', '--copies', '2');
      expect(run.stderr).not.toMatch(/Error/);
      expect(run.status).toBe(0);
      const meta = JSON.parse(fs.readFileSync(path.join(out, 'meta.json'), 'utf8')) as {
        count: number;
        size: number;
      };
      const { marks } = JSON.parse(fs.readFileSync(path.join(out, 'marks.json'), 'utf8')) as {
        marks: Mark[];
      };
      // mdb133's calcified artery gives the detector clusters at the default 0.1 floor.
      expect(marks.length).toBeGreaterThanOrEqual(1);
      expect(marks.every((m) => m.image === 'mdb133' && m.detection >= 0.1)).toBe(true);
      expect(meta.size).toBe(128);
      expect(meta.count).toBe(2 * marks.length);
      const labels = fs
        .readFileSync(path.join(out, 'labels.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map(
          (line) => JSON.parse(line) as { pathology: string; hardNegativeSource: string; speckCount: number },
        );
      expect(labels).toHaveLength(meta.count);
      expect(
        labels.every(
          (l) => l.pathology === 'benign' && l.hardNegativeSource === 'realCluster' && l.speckCount >= 3,
        ),
      ).toBe(true);
      // The first copy of each cluster is exactly the window production cuts around the mark.
      const images = new Float32Array(fs.readFileSync(path.join(out, 'images.f32')).buffer.slice(0));
      expect(images.length).toBe(meta.count * 128 * 128);
      const prepared = await miniMiasCases(MINI_MIAS)
        .find((c) => c.id === 'mdb133')!
        .prepare(configSchema.parse({}).imaging);
      if (!prepared.ok) throw new Error(prepared.reason);
      marks.forEach((m, k) => {
        const expected = cutRegion(prepared.image, prepared.image.transform.toWorking(m), 128);
        const written = images.subarray(2 * k * 128 * 128, (2 * k + 1) * 128 * 128);
        expect(
          Buffer.from(written.buffer, written.byteOffset, written.byteLength).equals(
            Buffer.from(expected.buffer),
          ),
        ).toBe(true);
      });
    },
  );
});
