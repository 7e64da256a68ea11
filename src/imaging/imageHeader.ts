/**
 * The image attributes the imaging stage needs, read once from a dcmjs naturalized dataset so later
 * steps never touch DICOM keywords. Missing or malformed values become undefined; deciding whether an
 * image is analysable happens later (validateImage.ts), not here.
 */

import { pixelPaddingRange, type PixelPadding } from './pixelPadding';

export type PresentationIntent = 'FOR PRESENTATION' | 'FOR PROCESSING';

/** Modality LUT Sequence item (PS3.3 C.11.1): stored value → output value by table look-up. */
export interface ModalityLut {
  /** Number of entries. */
  entryCount: number;
  /** Stored value mapped to the first entry; lower values map to the first, higher to the last. */
  firstStoredValue: number;
  /** Bits per entry (LUT Descriptor third value). */
  bitsPerEntry: number;
  data: Uint16Array;
}

export interface ImageHeader {
  rows?: number;
  columns?: number;
  bitsAllocated?: number;
  bitsStored?: number;
  highBit?: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation?: number;
  samplesPerPixel?: number;
  photometricInterpretation?: string;
  numberOfFrames: number;
  transferSyntaxUid?: string;
  sopClassUid?: string;
  presentationIntentType?: PresentationIntent;
  rescaleSlope?: number;
  rescaleIntercept?: number;
  modalityLut?: ModalityLut;
  /** Pixel Padding Value / Range Limit as a stored-value range (pixelPadding.ts). */
  pixelPadding?: PixelPadding;
  /** First VOI window, for display only; the detector does not use it. */
  windowCenter?: number;
  windowWidth?: number;
  /** Pixel Spacing (0028,0030): [row spacing, column spacing] in mm. */
  pixelSpacing?: [number, number];
  /** Imager Pixel Spacing (0018,1164): at the detector plane, [row, column] in mm. */
  imagerPixelSpacing?: [number, number];
  estimatedRadiographicMagnificationFactor?: number;
  /** Nominal Scanned Pixel Spacing (0018,2010): on the digitised film, [row, column] in mm (SC Image Module). */
  nominalScannedPixelSpacing?: [number, number];
  /** Spatial Resolution (0018,1050): the equipment's limiting resolution in mm (General Equipment Module). */
  spatialResolutionMm?: number;
  /** Conversion Type (0008,0064), e.g. DF for digitised film (SC Equipment Module). */
  conversionType?: string;
  /** Patient Orientation (0020,0020): direction of increasing column, then of increasing row. */
  patientOrientation?: [string, string];
  laterality?: 'L' | 'R';
  /** CC, MLO, ML, LM, LMO, FB, SIO, ISO, XCCL, XCCM, CV, ... when known. */
  viewCode?: string;
  /** Breast Implant Present (0028,1300): YES true, NO false, absent or other undefined. */
  breastImplantPresent?: boolean;
  /** The view's modifiers include Implant Displaced (an Eklund view: the implant pushed back out of the field). */
  implantDisplaced?: boolean;
  studyUid?: string;
  seriesUid?: string;
  sopInstanceUid?: string;
}

type Dataset = Record<string, unknown>;

function firstValue(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

function asNumber(v: unknown): number | undefined {
  const x = firstValue(v);
  if (x === undefined || x === null || x === '') return undefined;
  const n = typeof x === 'number' ? x : Number(String(x).trim());
  return Number.isFinite(n) ? n : undefined;
}

function asString(v: unknown): string | undefined {
  const x = firstValue(v);
  if (x === undefined || x === null) return undefined;
  const s = String(x).trim();
  return s.length > 0 ? s : undefined;
}

function asPair(v: unknown): [number, number] | undefined {
  const parts = Array.isArray(v) ? v : typeof v === 'string' ? v.split('\\') : undefined;
  if (!parts || parts.length < 2) return undefined;
  const a = asNumber(parts[0]);
  const b = asNumber(parts[1]);
  return a !== undefined && b !== undefined && a > 0 && b > 0 ? [a, b] : undefined;
}

function asStringPair(v: unknown): [string, string] | undefined {
  const parts = Array.isArray(v) ? v : typeof v === 'string' ? v.split('\\') : undefined;
  if (!parts || parts.length < 2) return undefined;
  return [
    String(parts[0] ?? '')
      .trim()
      .toUpperCase(),
    String(parts[1] ?? '')
      .trim()
      .toUpperCase(),
  ];
}

/** CID 4014 "View for Mammography": SNOMED-RT (SRT/SNM3) and SNOMED CT codes → short view code. */
const VIEW_BY_CODE: Record<string, string> = {
  'R-10242': 'CC',
  '399162004': 'CC',
  'R-10226': 'MLO',
  '399368009': 'MLO',
  'R-10224': 'ML',
  '399260004': 'ML',
  'R-10228': 'LM',
  '399352003': 'LM',
  'R-10230': 'LMO',
  '399099002': 'LMO',
  'R-10244': 'FB',
  '399196006': 'FB',
  'R-102D0': 'SIO',
  '399188001': 'SIO',
  'R-40AAA': 'ISO',
  '441555000': 'ISO',
  'R-1024A': 'XCCL',
  '399192008': 'XCCL',
  'R-1024B': 'XCCM',
  '399101009': 'XCCM',
  'R-102CF': 'CV',
  '399265009': 'CV',
};

/** Code meanings when the code value is not one we know (older or private codings). */
const VIEW_BY_MEANING: [RegExp, string][] = [
  [/medio-?lateral oblique/i, 'MLO'],
  [/latero-?medial oblique/i, 'LMO'],
  [/exaggerated laterally/i, 'XCCL'],
  [/exaggerated medially/i, 'XCCM'],
  [/cranio-?caudal/i, 'CC'],
  [/caudo-?cranial/i, 'FB'],
  [/medio-?lateral/i, 'ML'],
  [/latero-?medial/i, 'LM'],
  [/cleavage/i, 'CV'],
];

/** The View Code Sequence's item, when there is one. */
function viewCodeItem(ds: Dataset): Dataset | undefined {
  const item = firstValue(ds.ViewCodeSequence);
  return item && typeof item === 'object' ? (item as Dataset) : undefined;
}

function readViewCode(ds: Dataset): string | undefined {
  const item = viewCodeItem(ds);
  if (item) {
    const value = asString(item.CodeValue);
    if (value && VIEW_BY_CODE[value]) return VIEW_BY_CODE[value];
    const meaning = asString(item.CodeMeaning);
    if (meaning) for (const [re, code] of VIEW_BY_MEANING) if (re.test(meaning)) return code;
  }
  const position = asString(ds.ViewPosition);
  return position ? position.toUpperCase() : undefined;
}

/** View Modifier "Implant Displaced" (CID 4015): its SNOMED CT code and the SNOMED-RT one older headers carry. */
const IMPLANT_DISPLACED_CODES = new Set(['399209000', 'R-102D5']);

function isImplantDisplacedModifier(modifier: unknown): boolean {
  if (!modifier || typeof modifier !== 'object') return false;
  const m = modifier as Dataset;
  const value = asString(m.CodeValue);
  return (value !== undefined && IMPLANT_DISPLACED_CODES.has(value)) || /^implant displaced$/i.test(asString(m.CodeMeaning)?.trim() ?? '');
}

/** View Modifier Code Sequence belongs inside the View Code Sequence item (PS3.3 C.8.11.5); some writers put it at the top level. */
function readImplantDisplaced(ds: Dataset): boolean {
  const modifiers = [viewCodeItem(ds)?.ViewModifierCodeSequence, ds.ViewModifierCodeSequence];
  return modifiers.some((m) => (Array.isArray(m) ? m : [m]).some(isImplantDisplacedModifier));
}

function readYesNo(v: unknown): boolean | undefined {
  const s = asString(v)?.trim().toUpperCase();
  return s === 'YES' ? true : s === 'NO' ? false : undefined;
}

function readLaterality(ds: Dataset): 'L' | 'R' | undefined {
  for (const key of ['ImageLaterality', 'Laterality']) {
    const v = asString(ds[key])?.toUpperCase();
    if (v === 'L' || v === 'R') return v;
  }
  return undefined;
}

function readPresentationIntent(ds: Dataset): PresentationIntent | undefined {
  const v = asString(ds.PresentationIntentType)?.toUpperCase();
  return v === 'FOR PRESENTATION' || v === 'FOR PROCESSING' ? v : undefined;
}

/** LUT Data is OW/US: dcmjs hands it over as numbers or as raw little-endian bytes. */
function readLutData(v: unknown, entryCount: number): Uint16Array | undefined {
  if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'number') return Uint16Array.from(v as number[]);
  const raw = firstValue(v);
  if (raw instanceof ArrayBuffer || ArrayBuffer.isView(raw)) {
    const bytes =
      raw instanceof ArrayBuffer
        ? new Uint8Array(raw)
        : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    const out = new Uint16Array(Math.min(entryCount, bytes.length >> 1));
    for (let i = 0; i < out.length; i++) out[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
    return out;
  }
  return undefined;
}

function readModalityLut(ds: Dataset): ModalityLut | undefined {
  const seq = ds.ModalityLUTSequence;
  const item = (Array.isArray(seq) ? seq[0] : seq) as Dataset | undefined;
  if (!item || typeof item !== 'object') return undefined;
  const desc = Array.isArray(item.LUTDescriptor) ? item.LUTDescriptor : [];
  if (desc.length < 3) return undefined;
  // PS3.3 C.11.1.1: 0 entries means 65536.
  const entryCount = asNumber(desc[0]) === 0 ? 65536 : (asNumber(desc[0]) ?? 0);
  const data = readLutData(item.LUTData, entryCount);
  if (!data || data.length === 0) return undefined;
  return {
    entryCount: data.length,
    firstStoredValue: asNumber(desc[1]) ?? 0,
    bitsPerEntry: asNumber(desc[2]) ?? 16,
    data,
  };
}

/** US or SS by the pixels' sign: read without its VR (implicit VR), a signed value arrives as unsigned. */
function readPixelPadding(ds: Dataset): PixelPadding | undefined {
  const signed = asNumber(ds.PixelRepresentation) === 1;
  const asStored = (v: unknown) => {
    const n = asNumber(v);
    return n !== undefined && signed && n > 32767 ? n - 65536 : n;
  };
  return pixelPaddingRange(asStored(ds.PixelPaddingValue), asStored(ds.PixelPaddingRangeLimit));
}

function readTransferSyntax(ds: Dataset): string | undefined {
  const direct = asString(ds.TransferSyntaxUID);
  if (direct) return direct;
  const meta = ds._meta as Dataset | undefined;
  const fromMeta = meta?.TransferSyntaxUID as { Value?: unknown[] } | string | undefined;
  if (typeof fromMeta === 'string') return fromMeta;
  return fromMeta?.Value ? asString(fromMeta.Value) : undefined;
}

/**
 * Reads an ImageHeader from a dcmjs naturalized dataset. The transfer syntax comes from the file meta
 * information, which dcmjs keeps apart: pass it explicitly, or leave it in `TransferSyntaxUID`/`_meta`.
 */
export function readImageHeader(dataset: Dataset, transferSyntaxUid?: string): ImageHeader {
  const ds = dataset;
  return {
    rows: asNumber(ds.Rows),
    columns: asNumber(ds.Columns),
    bitsAllocated: asNumber(ds.BitsAllocated),
    bitsStored: asNumber(ds.BitsStored),
    highBit: asNumber(ds.HighBit),
    pixelRepresentation: asNumber(ds.PixelRepresentation),
    samplesPerPixel: asNumber(ds.SamplesPerPixel),
    photometricInterpretation: asString(ds.PhotometricInterpretation)?.toUpperCase(),
    numberOfFrames: Math.max(1, asNumber(ds.NumberOfFrames) ?? 1),
    transferSyntaxUid: transferSyntaxUid ?? readTransferSyntax(ds),
    sopClassUid: asString(ds.SOPClassUID),
    presentationIntentType: readPresentationIntent(ds),
    rescaleSlope: asNumber(ds.RescaleSlope),
    rescaleIntercept: asNumber(ds.RescaleIntercept),
    modalityLut: readModalityLut(ds),
    pixelPadding: readPixelPadding(ds),
    windowCenter: asNumber(ds.WindowCenter),
    windowWidth: asNumber(ds.WindowWidth),
    pixelSpacing: asPair(ds.PixelSpacing),
    imagerPixelSpacing: asPair(ds.ImagerPixelSpacing),
    estimatedRadiographicMagnificationFactor: asNumber(ds.EstimatedRadiographicMagnificationFactor),
    nominalScannedPixelSpacing: asPair(ds.NominalScannedPixelSpacing),
    spatialResolutionMm: asNumber(ds.SpatialResolution),
    conversionType: asString(ds.ConversionType)?.toUpperCase(),
    patientOrientation: asStringPair(ds.PatientOrientation),
    laterality: readLaterality(ds),
    viewCode: readViewCode(ds),
    breastImplantPresent: readYesNo(ds.BreastImplantPresent),
    implantDisplaced: readImplantDisplaced(ds),
    studyUid: asString(ds.StudyInstanceUID),
    seriesUid: asString(ds.SeriesInstanceUID),
    sopInstanceUid: asString(ds.SOPInstanceUID),
  };
}
