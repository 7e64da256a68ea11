import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { scoreLogit } from '../../../src/detect/clusterFilterFeatures';
import { loadSpeckCertaintyModel, SPECK_CERTAINTY_FEATURE_NAMES } from '../../../src/detect/speckCertainty';
import { writeEvaluationStudy } from '../../helpers/evaluationStudy';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = pathToFileURL(require.resolve('tsx')).href;
const SCRIPT = path.join(ROOT, 'scripts/train/trainSpeckCertainty.ts');

interface CachedMarks {
  images: number;
  studies: string[];
  rows: { x: number[]; peak: number; froc: { all: { hits: string[] } } }[];
}

/** The script in its own process, in a scratch folder (so nothing can land in models/). */
function train(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', TSX, SCRIPT, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run train:speck-certainty (scripts/train/trainSpeckCertainty.ts)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-speck-certainty-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fits the certainty to the production path’s speck marks of a synthetic study and records how', async () => {
    const data = path.join(dir, 'train');
    await writeEvaluationStudy(path.join(data, 's1'));
    const out = path.join(dir, 'out', 'certainty.json');
    const cache = path.join(dir, 'cache');
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({ inference: { modelDir: path.join(ROOT, 'models'), threads: 1 } }),
    );
    const r = train(dir, [
      '--train',
      data,
      '--val',
      data,
      '--config',
      config,
      '--cache',
      cache,
      '--out',
      out,
    ]);
    expect(r.stderr).not.toMatch(/train:speck-certainty:/);
    expect(r.code).toBe(0);

    const marks = JSON.parse(fs.readFileSync(path.join(cache, 'train.json'), 'utf8')) as CachedMarks;
    expect(marks).toMatchObject({ images: 4, studies: ['s1'] });
    const members = marks.rows.filter((m) => m.x[1] === 1);
    expect(members.length).toBeGreaterThan(0);
    expect(members.length).toBeLessThan(marks.rows.length);
    // Outside a cluster there is no cluster margin; the peak's logit is the first input.
    for (const m of marks.rows) {
      if (m.x[1] === 0) expect(m.x[2]).toBe(0);
      expect(m.x[0]).toBeCloseTo(scoreLogit(m.peak), 6);
    }

    const model = loadSpeckCertaintyModel(out);
    expect(model.features).toEqual([...SPECK_CERTAINTY_FEATURE_NAMES]);
    expect([...model.weights, model.bias].every(Number.isFinite)).toBe(true);
    const onSpeck = marks.rows.filter((m) => m.froc.all.hits.length > 0).length;
    expect(model.training).toMatchObject({
      trainImages: 4,
      marks: { onSpeck, offSpeck: marks.rows.length - onSpeck },
      trainStudies: [{ dataset: data, studies: ['s1'] }],
    });
    // Fitted on these very marks, the certainty is better calibrated than the raw peak.
    const validation = model.training.validation as Record<'heatmapPeak' | 'certainty', { brier: number }>;
    expect(validation.certainty.brier).toBeLessThan(validation.heatmapPeak.brier);
    expect(r.stdout).toMatch(/^validation: 4 images, \d+ speck marks, \d+ target specks$/m);
  }, 300_000);

  it('refuses, with one line, a run without --out and a folder without labelled images', () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty, { recursive: true });
    const noOut = train(dir, ['--train', empty, '--val', empty]);
    expect(noOut.code).toBe(1);
    expect(noOut.stderr.trim().split('\n').pop()).toMatch(/^train:speck-certainty: --out FILE is required/);
    const noCases = train(dir, [
      '--train',
      empty,
      '--val',
      empty,
      '--dry-run',
      '--cache',
      path.join(dir, 'cache-empty'),
    ]);
    expect(noCases.code).toBe(1);
    expect(noCases.stderr.trim().split('\n').pop()).toBe(
      `train:speck-certainty: ${empty}: no labelled images (*.dcm with *.truth.json)`,
    );
  }, 120_000);
});
