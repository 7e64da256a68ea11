/**
 * npm run dump:speck-crops -- --train DIR[,DIR...] --out DUMP [--config FILE]
 *
 * The speck stage's training data (src/detect/speckStage.ts, `npm run train:speck-stage`): every
 * per-speck mark the production path gives on the TRAINING studies (synthetic ground-truth format),
 * the specks at the speck threshold and the faint marks down to faintMarkThreshold
 * (analysePreparedImageInDetail with faintMarks 'always'), each cut as the worker cuts it
 * (src/detect/speckCrops.ts) and labelled 1 where it lies on a true speck of any size or contrast
 * (within eval's 0.35 mm), as the speck certainty labels it. The detector, reducers and floors are
 * the node's (--config merged on top). The worker still scores the marks with the speck stage the
 * model folder's certainty names, but no dumped value depends on it; after a change to the crops'
 * format, point --config at a copy of the folder whose certainty names no stage (models/HISTORY.md,
 * "a speck stage that also sees 4.5 mm around each speck").
 *
 * Writes per study DUMP/<dataset>/<study>.crops.f32 (N × 4 × 32 × 32 little-endian float32),
 * .labels.u8 and .marks.json (each mark's speck-certainty inputs and its per-speck FROC mark: what
 * `npm run train:speck-certainty -- --train-crops` fits and scores), and DUMP/index.json listing them. A study already in the dump is kept (a rerun after an
 * interruption goes on); delete the dump after changing any model or setting. Never point --train at
 * the hold-out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analysePreparedImageInDetail } from '../../src/detect/analyseImage';
import { detectionParametersFor, type DetectionParameters } from '../../src/detect/detectionParameters';
import {
  closeDetectionRuntimes,
  getDetectionRuntime,
  type DetectionRuntime,
} from '../../src/detect/detectionRuntime';
import { cutSpeckCrops, SPECK_CROP_CHANNELS, SPECK_CROP_PX } from '../../src/detect/speckCrops';
import { generatorVersion } from '../synth/generatorVersion';
import { evaluationConfig } from '../eval/evaluationConfig';
import { isTargetSpeck, studyOfId, syntheticCases, type EvaluationCase } from '../eval/evaluationCases';
import { SPECK_HIT_MM, scoredSpeckMarks, speckFrocMarks } from '../eval/speckFrocMarks';
import { readCropIndex, type DumpedMark, type SpeckCropIndex, type SpeckCropStudy } from './speckCropDump';
import type { Config } from '../../src/config/schema';
import { option } from '../commandLine';

async function dumpStudy(
  cases: EvaluationCase[],
  config: Config,
  runtime: DetectionRuntime,
  params: DetectionParameters,
  key: string,
  out: string,
): Promise<SpeckCropStudy> {
  const crops: Float32Array[] = [];
  const marks: DumpedMark[] = [];
  let targetSpecks = 0;
  for (const c of cases) {
    const prepared = await c.prepare(config.imaging);
    if (!prepared.ok) throw new Error(`${c.id}: ${prepared.reason}`);
    const image = prepared.image;
    const { specks: allSpecks, detection } = await analysePreparedImageInDetail(
      image,
      runtime,
      params,
      performance.now(),
      { faintMarks: 'always', returnHeatmap: true },
    );
    if (!detection?.heatmap) throw new Error(`${c.id}: the worker returned no heatmap`);
    const truth = c.specks ?? [];
    // As eval scores them: marks at real findings the truth does not list are neither hits nor false.
    const specks = scoredSpeckMarks(allSpecks, truth, c);
    const centres = specks.map((s) => image.transform.toWorking(s.center));
    crops.push(
      cutSpeckCrops(
        { pixels: image.pixels, heatmap: detection.heatmap, width: image.width, height: image.height },
        centres,
      ),
    );
    speckFrocMarks(specks, truth, c.id, c.spacingMm).forEach((froc, i) =>
      marks.push({
        image: c.id,
        center: specks[i].center,
        peak: specks[i].peak,
        ...(specks[i].cluster ? { cluster: specks[i].cluster } : {}),
        froc,
      }),
    );
    targetSpecks += truth.filter(isTargetSpeck).length;
    process.stderr.write(`${c.id}: ${specks.length} marks\n`);
  }
  const file = path.join(out, key);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const all = Buffer.concat(crops.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
  fs.writeFileSync(`${file}.crops.f32`, all);
  const labels = marks.map((m) => (m.froc.all.hits.length > 0 ? 1 : 0));
  fs.writeFileSync(`${file}.labels.u8`, Uint8Array.from(labels));
  fs.writeFileSync(`${file}.marks.json`, JSON.stringify(marks));
  return {
    key,
    images: cases.length,
    marks: marks.length,
    onSpeck: labels.filter((v) => v === 1).length,
    targetSpecks,
    crops: `${key}.crops.f32`,
    labels: `${key}.labels.u8`,
    markFile: `${key}.marks.json`,
  };
}

async function main(): Promise<void> {
  const trainDirs = (option('train') ?? '').split(',').filter(Boolean);
  const out = option('out');
  if (trainDirs.length === 0 || !out)
    throw new Error('usage: npm run dump:speck-crops -- --train DIR[,DIR] --out DUMP [--config FILE]');
  const config = evaluationConfig(option('config'));
  const params = detectionParametersFor(config);
  const runtime = await getDetectionRuntime(config, params);
  const indexFile = path.join(out, 'index.json');
  const index: SpeckCropIndex = fs.existsSync(indexFile)
    ? readCropIndex(out)
    : {
        cropPx: SPECK_CROP_PX,
        channels: SPECK_CROP_CHANNELS,
        label: `on a true speck of any size or contrast (within ${SPECK_HIT_MM} mm)`,
        generator: generatorVersion(),
        studies: [],
      };
  for (const dir of trainDirs) {
    const cases = syntheticCases(dir);
    if (cases.length === 0) throw new Error(`${dir}: no labelled images (*.dcm with *.truth.json)`);
    for (const study of [...new Set(cases.map((c) => studyOfId(c.id)))]) {
      const key = `${path.basename(path.resolve(dir))}/${study}`;
      if (index.studies.some((s) => s.key === key)) continue;
      index.studies.push(
        await dumpStudy(
          cases.filter((c) => studyOfId(c.id) === study),
          config,
          runtime,
          params,
          key,
          out,
        ),
      );
      // Written after every study, so an interrupted dump goes on where it stopped.
      fs.writeFileSync(indexFile, JSON.stringify(index, null, 2) + '\n');
    }
  }
  const marks = index.studies.reduce((n, s) => n + s.marks, 0);
  console.log(
    `${index.studies.length} studies, ${marks} marks (${index.studies.reduce((n, s) => n + s.onSpeck, 0)} on a speck) in ${indexFile}`,
  );
}

main()
  .catch((error: unknown) => {
    console.error(`dump:speck-crops: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => closeDetectionRuntimes());
