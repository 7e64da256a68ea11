import type { ImageFindings } from '../findings/types';
import { type Code, legacySrtViewCodes, mammographyViews } from './codes';
import { allValues, firstValue, type NaturalDataset } from './naturalDataset';
import { readVoiLut, storedRange, type VoiLut } from './voiLut';

/** What the reports need to know about one source image, taken from its header. */
export interface SourceImage {
  sopClassUid: string;
  sopInstanceUid: string;
  seriesUid: string;
  rows: number;
  columns: number;
  laterality?: 'L' | 'R';
  view?: Code;
  viewModifiers: Code[];
  patientOrientation?: [string, string];
  studyDate?: string;
  studyTime?: string;
  contentDate?: string;
  contentTime?: string;
  /** mm between pixel centres: row = vertical, column = horizontal. */
  pixelSpacing?: { row: number; column: number };
  photometricInterpretation?: string;
  /** VOI windows of the source, first is the default. */
  windows: { center: number; width: number; explanation?: string }[];
  voiLutFunction?: string;
  /** The source's VOI LUT, for an image whose VOI is a LUT rather than a window. */
  voiLut?: VoiLut;
  /** Stored values the pixels can take (Bits Stored, Pixel Representation). */
  storedRange: { min: number; max: number };
}

function sctView(code: NaturalDataset | undefined, fallback: string | undefined): Code | undefined {
  if (code) {
    const scheme = code.CodingSchemeDesignator;
    const value = String(code.CodeValue ?? '');
    if (scheme === 'SCT') {
      const known = Object.values(mammographyViews).find((v) => v.value === value);
      if (known) return known;
    }
    // SNOMED RT codes, under their DICOM (SRT) or older vendor (SNM3) scheme designators.
    if ((scheme === 'SRT' || scheme === 'SNM3') && legacySrtViewCodes[value])
      return mammographyViews[legacySrtViewCodes[value]];
  }
  if (fallback && mammographyViews[fallback.toUpperCase()]) return mammographyViews[fallback.toUpperCase()];
  return undefined;
}

function stringValue(ds: NaturalDataset, keyword: string): string | undefined {
  const v = firstValue<string | number>(ds, keyword);
  return v === undefined ? undefined : String(v).trim() || undefined;
}

function spacing(ds: NaturalDataset): { row: number; column: number } | undefined {
  // MG For Presentation often has only Imager Pixel Spacing; both are row\column.
  for (const keyword of ['PixelSpacing', 'ImagerPixelSpacing']) {
    const values = allValues<number | string>(ds, keyword).map(Number);
    if (values.length === 2 && values.every((v) => Number.isFinite(v) && v > 0)) {
      return { row: values[0], column: values[1] };
    }
  }
  return undefined;
}

export function describeSourceImage(header: NaturalDataset, findings?: ImageFindings): SourceImage {
  const lat =
    stringValue(header, 'ImageLaterality') ?? stringValue(header, 'Laterality') ?? findings?.laterality;
  const viewItem = firstValue<NaturalDataset>(header, 'ViewCodeSequence');
  const modifiers = viewItem
    ? allValues<NaturalDataset>(viewItem, 'ViewModifierCodeSequence')
        .filter((m) => m.CodeValue && m.CodingSchemeDesignator === 'SCT' && m.CodeMeaning)
        .map((m) => ({ value: String(m.CodeValue), scheme: 'SCT', meaning: String(m.CodeMeaning) }))
    : [];
  const orientation = allValues<string>(header, 'PatientOrientation').map(String);
  const centers = allValues<number | string>(header, 'WindowCenter').map(Number);
  const widths = allValues<number | string>(header, 'WindowWidth').map(Number);
  const explanations = allValues<string>(header, 'WindowCenterWidthExplanation');
  const windows = centers
    .map((center, i) => ({ center, width: widths[i], explanation: explanations[i] }))
    .filter((w) => Number.isFinite(w.center) && Number.isFinite(w.width) && w.width >= 1);
  const rows = Number(firstValue(header, 'Rows') ?? findings?.rows);
  const columns = Number(firstValue(header, 'Columns') ?? findings?.columns);
  return {
    sopClassUid: String(header.SOPClassUID ?? findings?.sopClassUid),
    sopInstanceUid: String(header.SOPInstanceUID ?? findings?.sopInstanceUid),
    seriesUid: String(header.SeriesInstanceUID ?? findings?.seriesUid),
    rows,
    columns,
    laterality: lat === 'L' || lat === 'R' ? lat : undefined,
    view: sctView(viewItem, findings?.view),
    viewModifiers: modifiers,
    patientOrientation: orientation.length === 2 ? [orientation[0], orientation[1]] : undefined,
    studyDate: stringValue(header, 'StudyDate'),
    studyTime: stringValue(header, 'StudyTime'),
    contentDate: stringValue(header, 'ContentDate'),
    contentTime: stringValue(header, 'ContentTime'),
    pixelSpacing: spacing(header),
    photometricInterpretation: stringValue(header, 'PhotometricInterpretation'),
    windows,
    voiLutFunction: stringValue(header, 'VOILUTFunction'),
    voiLut: readVoiLut(header),
    storedRange: storedRange(header),
  };
}
