/**
 * npm-less helper: tsx scripts/report/renderExample.ts [--out docs/img/report-example.png] [--seed 7]
 * Writes a synthetic four-view study, turns each image's ground-truth clusters into findings (as a
 * perfect detector would report them), writes the three report objects and renders the CAD SR marks
 * over the image with the most clusters. Produces the example figure of the documentation.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { GroundTruth } from '../../src/findings/groundTruth';
import type { ImageFindings, StudyFindings } from '../../src/findings/types';
import { part10ToDataset, writeReports } from '../../src/report';
import { renderMarks } from '../../src/report/render/renderMarks';
import { writeSyntheticStudy } from '../../src/synth/studyWriter';
import { synthesizerByName } from '../../src/synth/synthesizerByName';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const out = arg('out', 'docs/img/report-example.png');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mammocad-example-'));
  try {
    const written = await writeSyntheticStudy({
      outDir: dir,
      rows: 1400,
      columns: 1100,
      seed: Number(arg('seed', '7')),
      spacingMm: 0.1,
      synthesizer: synthesizerByName('procedural'),
    });
    const headers = await Promise.all(written.map(async (w) => part10ToDataset(await fs.readFile(w.path))));
    const images: ImageFindings[] = [];
    for (const [i, w] of written.entries()) {
      const truth = JSON.parse(await fs.readFile(w.truthPath, 'utf8')) as GroundTruth;
      const h = headers[i];
      const clusters = truth.clusters.map((c, k) => {
        const specks = truth.specks.filter((s) => s.clusterId === c.id);
        return {
          index: k + 1,
          center: c.center,
          outline: c.outline,
          ellipse: {
            majorAxis: [c.center, c.center],
            minorAxis: [c.center, c.center],
          } as ImageFindings['clusters'][0]['ellipse'],
          calcifications: specks.map((s) => ({
            center: { x: s.x, y: s.y },
            diameterMm: s.diameterMm,
            score: 0.9,
          })),
          detectionScore: 0.9,
          malignancy: c.pathology === 'malignant' ? 0.87 : 0.12,
          morphology: [c.morphology],
          distribution: c.distribution,
          explanation: [],
        };
      });
      images.push({
        studyUid: h.StudyInstanceUID,
        seriesUid: h.SeriesInstanceUID,
        sopInstanceUid: h.SOPInstanceUID,
        sopClassUid: h.SOPClassUID,
        status: 'analysed',
        rows: h.Rows,
        columns: h.Columns,
        laterality: truth.laterality,
        view: truth.view,
        clusters,
        imageScore: Math.max(0, ...clusters.map((c) => c.malignancy)),
        algorithm: { name: 'ground-truth', version: '0' },
      });
    }
    const study: StudyFindings = {
      studyUid: headers[0].StudyInstanceUID,
      images,
      breastScores: {},
      examScore: Math.max(0, ...images.map((i) => i.imageScore)),
    };
    const reports = await writeReports(study, headers, path.join(dir, 'reports'), { operatingPoint: 0.3 });
    const best = images.reduce((a, b) => (b.clusters.length > a.clusters.length ? b : a));
    const imagePath = written[images.indexOf(best)].path;
    const result = await renderMarks(imagePath, reports.mammoCadSr, 640);
    await fs.writeFile(out, result.png);
    console.log(
      `${out}: ${best.laterality}${best.view}, ${best.clusters.length} clusters, ${result.marks.length} marks`,
    );
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
