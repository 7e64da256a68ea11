import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GroundTruth } from '../findings/groundTruth';
import { transcodeDicomFile } from './codecs/transcode';
import { TransferSyntaxUid } from '../dicom/transferSyntaxUid';
import { datasetToPart10, ImplementationIdentity } from '../dicom/datasetFile';
import { buildMammoDataset, studyIdentity, type Photometric, type PresentationIntent } from './dicom/mammoDataset';
import { SCREENING_VIEWS, viewName, type MammoView } from './dicom/mammoView';
import { DEFAULT_DETECTOR, measureAttenuation } from './detectorModel';
import { formStoredImage } from './imageFormation';
import { gradientMammogram, type MammogramSynthesizer } from './syntheticMammogram';

/** The synthetic images name their own writer, a stand-in modality, not the mammocad node. */
export const SYNTHETIC_MODALITY: ImplementationIdentity = {
  classUid: '2.25.186484839240167930372958323364152770091',
  versionName: 'MAMMOCAD_SYNTH',
};

export interface StudyOptions {
  outDir: string;
  rows: number;
  columns: number;
  seed: number;
  /** Pixel spacing in mm (default 0.07, as INbreast and many FFDM units). */
  spacingMm?: number;
  /** Photometric Interpretation of the For Presentation images (default MONOCHROME2). */
  photometric?: Photometric;
  transferSyntaxUid?: string;
  /** Which images to write: For Presentation (default), For Processing, or both per view. */
  intents?: PresentationIntent[];
  bitsStored?: number;
  synthesizer?: MammogramSynthesizer;
  views?: readonly MammoView[];
}

export interface WrittenImage {
  path: string;
  truthPath: string;
  view: MammoView;
  intent: PresentationIntent;
  sopInstanceUid: string;
  transferSyntaxUid: string;
}

export const MAX_ROWS = 4096;
export const MAX_COLUMNS = 4096;

/**
 * Writes a four-view screening study (R/L × CC/MLO) as Digital Mammography X-Ray Image files with a
 * `<name>.truth.json` beside each. Pixels are made in Explicit VR Little Endian by dcmjs; other
 * transfer syntaxes come from re-encoding that file with dcmtk or gdcm.
 */
export async function writeSyntheticStudy(options: StudyOptions): Promise<WrittenImage[]> {
  const { rows, columns, seed } = options;
  if (!(rows >= 16 && rows <= MAX_ROWS && columns >= 16 && columns <= MAX_COLUMNS)) {
    throw new Error(`image size ${rows}x${columns} outside 16..${MAX_ROWS} x 16..${MAX_COLUMNS}`);
  }
  const spacingMm = options.spacingMm ?? 0.07;
  const bitsStored = options.bitsStored ?? DEFAULT_DETECTOR.bitsStored;
  const syntax = options.transferSyntaxUid ?? TransferSyntaxUid.explicitVrLittleEndian;
  const intents = options.intents ?? ['FOR PRESENTATION'];
  const synthesize = options.synthesizer ?? gradientMammogram;
  const study = studyIdentity(seed);
  await mkdir(options.outDir, { recursive: true });

  const written: WrittenImage[] = [];
  const views = options.views ?? SCREENING_VIEWS;
  for (const [viewIndex, view] of views.entries()) {
    const viewSeed = (seed * 8 + viewIndex) >>> 0;
    const content = synthesize({ view, rows, columns, spacingMm, seed: viewSeed });
    const measured = measureAttenuation(content.image, { ...DEFAULT_DETECTOR, bitsStored }, viewSeed);
    for (const intent of intents) {
      const isPresentation = intent === 'FOR PRESENTATION';
      const detector = { ...DEFAULT_DETECTOR, bitsStored };
      const formed = formStoredImage(content.image, intent, options.photometric ?? 'MONOCHROME2', viewSeed, detector, measured);
      const { pixels, photometric, window } = formed;
      const dataset = buildMammoDataset({
        study,
        view,
        intent,
        photometric,
        rows,
        columns,
        bitsStored,
        spacingMm,
        pixels,
        instanceNumber: viewIndex + 1,
        seriesNumber: (view.laterality === 'R' ? 1 : 2) + (isPresentation ? 0 : 10),
        window,
      });
      const name = `${viewName(view)}${isPresentation ? '' : '_processing'}`;
      const path = join(options.outDir, `${name}.dcm`);
      const sopInstanceUid = String(dataset.SOPInstanceUID);
      if (syntax === TransferSyntaxUid.explicitVrLittleEndian) {
        await writeFile(path, datasetToPart10(dataset, SYNTHETIC_MODALITY));
      } else {
        const nativePath = join(options.outDir, `${name}.native.tmp.dcm`);
        await writeFile(nativePath, datasetToPart10(dataset, SYNTHETIC_MODALITY));
        try {
          await transcodeDicomFile(nativePath, path, syntax);
        } finally {
          await rm(nativePath, { force: true });
        }
      }
      const truth: GroundTruth = {
        version: 1,
        seed: viewSeed,
        sopInstanceUid,
        rows,
        columns,
        pixelSpacingMm: [spacingMm, spacingMm],
        laterality: view.laterality,
        view: view.view,
        tissue: content.tissue,
        specks: content.specks,
        clusters: content.clusters,
      };
      const truthPath = join(options.outDir, `${name}.truth.json`);
      await writeFile(truthPath, JSON.stringify(truth, null, 1));
      written.push({ path, truthPath, view, intent, sopInstanceUid, transferSyntaxUid: syntax });
    }
  }
  return written;
}
