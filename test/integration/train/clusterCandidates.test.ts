import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSchema } from '../../../src/config/schema';
import { DEFAULT_DETECTION_PARAMETERS } from '../../../src/detect/detectionParameters';
import type { GroundTruth } from '../../../src/findings/groundTruth';
import { collectCandidates, parseSetting } from '../../../scripts/train/clusterCandidates';
import { writeEvaluationStudy } from '../../helpers/evaluationStudy';

const ROOT = path.resolve(__dirname, '../../..');

describe("the reducer's training candidates (scripts/train/clusterCandidates.ts)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-candidates-'));
  const config = configSchema.parse({ inference: { modelDir: path.join(ROOT, 'models'), threads: 1 } });
  const settings = [parseSetting('0.8@4')];
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('leaves out a false candidate on a real finding the truth lists as unlabelled, as eval does', async () => {
    const written = await writeEvaluationStudy(path.join(dir, 'labelled', 's1'));
    const all = await collectCandidates(path.join(dir, 'labelled'), settings, config, DEFAULT_DETECTION_PARAMETERS);
    // A found cluster that the truth forgets and lists as an unlabelled place instead, as a
    // reference image's own calcifications are: its candidate must not become a negative.
    const found = all.rows.find((r) => r.hits.length > 0)!;
    expect(found).toBeDefined();
    const image = written.find((w) => w.path.endsWith(found.image))!;
    const truth = JSON.parse(fs.readFileSync(image.truthPath, 'utf8')) as GroundTruth;
    const cluster = truth.clusters.find((k) => found.hits.includes(`${found.image}#${k.id}`))!;
    const forgotten = `${found.image}#${cluster.id}`;
    const radiusPx = Math.max(...cluster.outline.map((p) => Math.hypot(p.x - cluster.center.x, p.y - cluster.center.y))) + 1 / truth.pixelSpacingMm[1];
    const copy = path.join(dir, 'unlabelled', 's1');
    fs.mkdirSync(copy, { recursive: true });
    fs.copyFileSync(image.path, path.join(copy, path.basename(image.path)));
    fs.writeFileSync(
      path.join(copy, path.basename(image.truthPath)),
      JSON.stringify({
        ...truth,
        clusters: truth.clusters.filter((k) => k !== cluster),
        specks: truth.specks.filter((s) => s.clusterId !== cluster.id),
        unlabelled: [{ center: cluster.center, radiusMm: radiusPx * truth.pixelSpacingMm[1], what: 'the forgotten cluster' }],
      }),
    );

    const again = await collectCandidates(path.join(dir, 'unlabelled'), settings, config, DEFAULT_DETECTION_PARAMETERS);
    const before = all.rows.filter((r) => r.image === found.image);
    const onlyForgotten = (r: { hits: string[] }) => r.hits.length > 0 && r.hits.every((h) => h === forgotten);
    expect(before.filter(onlyForgotten).length).toBeGreaterThan(0);
    // Every other candidate is as before, with the forgotten cluster gone from its hits.
    expect(again.rows.map((r) => ({ x: r.x, hits: r.hits }))).toEqual(
      before.filter((r) => !onlyForgotten(r)).map((r) => ({ x: r.x, hits: r.hits.filter((h) => h !== forgotten) })),
    );
    expect(again.trueClusters).toHaveLength(truth.clusters.length - 1);
  }, 120_000);
});
