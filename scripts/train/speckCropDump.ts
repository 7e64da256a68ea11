import fs from 'node:fs';
import path from 'node:path';
import type { SpeckCluster } from '../../src/detect/speckCertainty';
import type { Point } from '../../src/findings/types';
import { SPECK_CROP_CHANNELS, SPECK_CROP_FLOATS, SPECK_CROP_PX } from '../../src/detect/speckCrops';
import type { SpeckFrocMark } from '../eval/speckFrocMarks';

/**
 * The dump of `npm run dump:speck-crops` (speckStageCrops.ts writes it): the production path's speck
 * marks of some synthetic studies, each with its crop (src/detect/speckCrops.ts), its label and what
 * the speck certainty needs. train_speck_stage.py learns from the crops; `npm run
 * train:speck-certainty -- --train-crops` fits the certainty on the marks.
 */
/** One study's entry in DUMP/index.json. `key` (dataset folder name / study folder name) is how the
 * stage's training record names the studies each network learnt from. */
export interface SpeckCropStudy {
  key: string;
  images: number;
  marks: number;
  onSpeck: number;
  /** Target specks (eval's per-speck target) in the study's images. */
  targetSpecks: number;
  crops: string;
  labels: string;
  markFile: string;
}

/** One mark in <study>.marks.json, in the order of its crops. */
export interface DumpedMark {
  /** The image's case id and the mark's centre in its original pixels: what a context input
   * (the marks around it) needs. */
  image: string;
  center: Point;
  peak: number;
  cluster?: SpeckCluster;
  froc: SpeckFrocMark;
}

export interface SpeckCropIndex {
  cropPx: number;
  channels: number;
  label: string;
  generator: string;
  studies: SpeckCropStudy[];
}

export function readCropIndex(folder: string): SpeckCropIndex {
  const file = path.join(folder, 'index.json');
  if (!fs.existsSync(file))
    throw new Error(`${folder}: no index.json (write one with npm run dump:speck-crops)`);
  const index = JSON.parse(fs.readFileSync(file, 'utf8')) as SpeckCropIndex;
  if (index.cropPx !== SPECK_CROP_PX || index.channels !== SPECK_CROP_CHANNELS) {
    throw new Error(
      `${folder}: crops of ${index.channels} × ${index.cropPx} px, this code cuts ${SPECK_CROP_CHANNELS} × ${SPECK_CROP_PX}`,
    );
  }
  return index;
}

/** One study's crops (marks × SPECK_CROP_FLOATS) and marks. */
export function readCropStudy(
  folder: string,
  study: SpeckCropStudy,
): { crops: Float32Array; marks: DumpedMark[] } {
  const bytes = fs.readFileSync(path.join(folder, study.crops));
  const crops = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const marks = JSON.parse(fs.readFileSync(path.join(folder, study.markFile), 'utf8')) as DumpedMark[];
  if (crops.length !== study.marks * SPECK_CROP_FLOATS || marks.length !== study.marks) {
    throw new Error(
      `${folder}: ${study.key} holds ${crops.length / SPECK_CROP_FLOATS} crops and ${marks.length} marks, its index says ${study.marks}`,
    );
  }
  return { crops, marks };
}
