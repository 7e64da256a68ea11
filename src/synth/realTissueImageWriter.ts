import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { datasetToPart10 } from '../dicom/datasetFile';
import type { GroundTruth } from '../findings/groundTruth';
import { buildMammoDataset, studyIdentity } from './dicom/mammoDataset';
import { SYNTHETIC_MODALITY } from './studyWriter';
import { insertIntoRealTissue } from './tissue/realTissueWithLesions';
import type { ReferenceTissueImage } from './tissue/referenceImages';

/**
 * One real normal mammogram with synthetic clusters (insertIntoRealTissue), written as a For
 * Presentation MG image with its ground truth beside it, in the layout `npm run eval` and the
 * reducer's training read (`<outDir>/<reference name>/<laterality>_<view>.dcm` + `.truth.json`).
 * Whole images of real tissue, so the cluster reducer and classifier can learn what real film or
 * FFDM texture does to candidates, as the detector's patches already do.
 */
export async function writeRealTissueImage(reference: ReferenceTissueImage, seed: number, outDir: string): Promise<string> {
  const { decoded, lesions } = insertIntoRealTissue(reference, seed);
  const view = { laterality: reference.laterality, view: reference.view };
  const dataset = buildMammoDataset({
    study: studyIdentity(seed),
    view,
    intent: 'FOR PRESENTATION',
    photometric: 'MONOCHROME2',
    rows: decoded.rows,
    columns: decoded.columns,
    bitsStored: decoded.bitsStored,
    spacingMm: reference.spacingMm,
    pixels: Uint16Array.from(decoded.pixels),
    instanceNumber: 1,
    seriesNumber: 1,
  });
  const dir = join(outDir, reference.name);
  await mkdir(dir, { recursive: true });
  const name = `${view.laterality}_${view.view}`;
  const path = join(dir, `${name}.dcm`);
  await writeFile(path, datasetToPart10(dataset, SYNTHETIC_MODALITY));
  const truth: GroundTruth = {
    version: 1,
    seed,
    sopInstanceUid: String(dataset.SOPInstanceUID),
    rows: decoded.rows,
    columns: decoded.columns,
    pixelSpacingMm: [reference.spacingMm, reference.spacingMm],
    laterality: view.laterality,
    view: view.view,
    tissue: reference.film ? 'mias' : 'ffdm',
    specks: lesions.specks,
    clusters: lesions.clusters,
    ...(reference.unlabelled.length > 0 ? { unlabelled: reference.unlabelled } : {}),
  };
  await writeFile(join(dir, `${name}.truth.json`), JSON.stringify(truth, null, 1));
  return path;
}
