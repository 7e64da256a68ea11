import { deterministicUid } from './deterministicUid';
import { MammoView, patientOrientation, VIEW_CODES } from './mammoView';
import type { NaturalDataset } from '../../dicom/datasetFile';
import { SeededRandom } from '../random';

export const SOP_CLASS = {
  forPresentation: '1.2.840.10008.5.1.4.1.1.1.2',
  forProcessing: '1.2.840.10008.5.1.4.1.1.1.2.1',
} as const;

export type PresentationIntent = 'FOR PRESENTATION' | 'FOR PROCESSING';
export type Photometric = 'MONOCHROME1' | 'MONOCHROME2';

export interface StudyIdentity {
  seed: number;
  patientName: string;
  patientId: string;
  studyUid: string;
  studyDate: string;
  studyTime: string;
  accessionNumber: string;
}

export interface MammoImageDescription {
  study: StudyIdentity;
  view: MammoView;
  intent: PresentationIntent;
  photometric: Photometric;
  rows: number;
  columns: number;
  bitsStored: number;
  spacingMm: number;
  /** Stored values, row-major, already in the photometric sense given. */
  pixels: Uint16Array;
  instanceNumber: number;
  seriesNumber: number;
  window?: { center: number; width: number };
}

export function studyIdentity(seed: number): StudyIdentity {
  const random = new SeededRandom(seed);
  const day = random.int(1, 28);
  const month = random.int(1, 12);
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return {
    seed,
    patientName: `SYNTHETIC^CASE${seed}`,
    patientId: `SYN${pad(seed, 6)}`,
    studyUid: deterministicUid(seed, 'study'),
    studyDate: `2025${pad(month)}${pad(day)}`,
    studyTime: `${pad(random.int(8, 17))}${pad(random.int(0, 59))}00`,
    accessionNumber: `A${pad(random.int(0, 999999), 8)}`,
  };
}

function code(value: string, meaning: string): NaturalDataset {
  return { CodeValue: value, CodingSchemeDesignator: 'SCT', CodeMeaning: meaning };
}

/** Format a decimal string that fits the 16-byte DS limit. */
function ds(value: number): string {
  return String(Number(value.toPrecision(8)));
}

/**
 * A Digital Mammography X-Ray Image (PS3.3 A.26) as a dcmjs naturalized dataset: Patient, General
 * Study, DX Series + Mammography Series, General Equipment, DX Anatomy Imaged, DX Image, DX Detector,
 * Mammography Image, X-Ray Acquisition Dose, VOI LUT (For Presentation) and SOP Common, with
 * acquisition values in the ranges a 2D digital mammography unit reports.
 */
export function buildMammoDataset(image: MammoImageDescription): NaturalDataset {
  const { study, view } = image;
  const random = new SeededRandom((study.seed * 31 + image.instanceNumber) >>> 0);
  const isPresentation = image.intent === 'FOR PRESENTATION';
  const viewCode = VIEW_CODES[view.view];
  const label = `${view.laterality}${view.view}${isPresentation ? 'P' : 'R'}`;
  const thicknessMm = Math.round(random.uniform(35, 70));
  const kvp = Math.round(26 + (thicknessMm - 35) / 6);
  const mAs = Math.round(random.uniform(60, 180));
  const exposureMs = Math.round(random.uniform(600, 1600));
  const spacing = ds(image.spacingMm);
  const pixelBytes = new Uint8Array(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength);
  const pixelData = pixelBytes.slice().buffer;

  const dataset: NaturalDataset = {
    SpecificCharacterSet: 'ISO_IR 100',
    ImageType: ['ORIGINAL', 'PRIMARY', ''],
    SOPClassUID: isPresentation ? SOP_CLASS.forPresentation : SOP_CLASS.forProcessing,
    SOPInstanceUID: deterministicUid(study.seed, `instance-${label}`),
    StudyDate: study.studyDate,
    SeriesDate: study.studyDate,
    AcquisitionDate: study.studyDate,
    ContentDate: study.studyDate,
    StudyTime: study.studyTime,
    SeriesTime: study.studyTime,
    AcquisitionTime: study.studyTime,
    ContentTime: study.studyTime,
    AccessionNumber: study.accessionNumber,
    Modality: 'MG',
    PresentationIntentType: image.intent,
    Manufacturer: 'mammocad synthetic',
    InstitutionName: 'Synthetic Screening Centre',
    ReferringPhysicianName: '',
    StationName: 'SYNTHMG1',
    StudyDescription: 'MG SCREENING BILATERAL',
    SeriesDescription: `${view.laterality} ${isPresentation ? 'FOR PRESENTATION' : 'FOR PROCESSING'}`,
    ManufacturerModelName: 'Synthetic FFDM',
    AnatomicRegionSequence: [code('76752008', 'Breast')],
    PatientName: study.patientName,
    PatientID: study.patientId,
    PatientBirthDate: '19700101',
    PatientSex: 'F',
    PatientAge: '055Y',
    BodyPartExamined: 'BREAST',
    OrganExposed: 'BREAST',
    AcquisitionContextSequence: [],
    KVP: ds(kvp),
    DeviceSerialNumber: 'SYN-0001',
    SoftwareVersions: 'mammocad-synth 1',
    DistanceSourceToDetector: '660',
    DistanceSourceToPatient: '660',
    EstimatedRadiographicMagnificationFactor: '1.0',
    ExposureTime: String(exposureMs),
    XRayTubeCurrent: String(Math.round((mAs * 1000) / exposureMs)),
    Exposure: String(mAs),
    ExposureInuAs: String(mAs * 1000),
    ImagerPixelSpacing: [spacing, spacing],
    Grid: 'RECIPROCATING',
    FocalSpots: '0.3',
    AnodeTargetMaterial: 'TUNGSTEN',
    BodyPartThickness: ds(thicknessMm),
    CompressionForce: ds(Math.round(random.uniform(60, 140))),
    PositionerType: 'MAMMOGRAPHIC',
    PositionerPrimaryAngle: view.view === 'CC' ? '0' : view.laterality === 'R' ? '45' : '-45',
    ViewPosition: view.view,
    DetectorConditionsNominalFlag: 'YES',
    DetectorTemperature: '30',
    DetectorType: 'DIRECT',
    DetectorConfiguration: 'AREA',
    DetectorID: 'SYNDET01',
    DetectorElementPhysicalSize: [spacing, spacing],
    DetectorElementSpacing: [spacing, spacing],
    DetectorActiveShape: 'RECTANGLE',
    DetectorActiveDimensions: [ds(image.rows * image.spacingMm), ds(image.columns * image.spacingMm)],
    FilterMaterial: 'RHODIUM',
    FilterThicknessMinimum: '0.05',
    FilterThicknessMaximum: '0.05',
    ExposureControlMode: 'AUTOMATIC',
    EntranceDoseInmGy: ds(random.uniform(4, 9)),
    OrganDose: ds(random.uniform(0.9, 2.2)),
    HalfValueLayer: ds(random.uniform(0.45, 0.6)),
    RelativeXRayExposure: String(Math.round(random.uniform(800, 2000))),
    ViewCodeSequence: [{ ...code(viewCode.code, viewCode.meaning), ViewModifierCodeSequence: [] }],
    StudyInstanceUID: study.studyUid,
    SeriesInstanceUID: deterministicUid(study.seed, `series-${view.laterality}-${image.intent}`),
    StudyID: String(study.seed),
    SeriesNumber: String(image.seriesNumber),
    InstanceNumber: String(image.instanceNumber),
    PatientOrientation: patientOrientation(view),
    ImageLaterality: view.laterality,
    SamplesPerPixel: 1,
    PhotometricInterpretation: image.photometric,
    Rows: image.rows,
    Columns: image.columns,
    PixelSpacing: [spacing, spacing],
    PixelSpacingCalibrationType: 'GEOMETRY',
    PixelSpacingCalibrationDescription: 'magnification factor 1.0 at the detector',
    BitsAllocated: 16,
    BitsStored: image.bitsStored,
    HighBit: image.bitsStored - 1,
    PixelRepresentation: 0,
    QualityControlImage: 'NO',
    BurnedInAnnotation: 'NO',
    // Presentation images store log-converted values where denser tissue is brighter; For Processing
    // images store values linear in detector dose (PS3.3 C.8.11.3.1.2).
    PixelIntensityRelationship: isPresentation ? 'LOG' : 'LIN',
    PixelIntensityRelationshipSign: isPresentation ? -1 : 1,
    RescaleIntercept: '0',
    RescaleSlope: '1',
    RescaleType: 'US',
    PresentationLUTShape: image.photometric === 'MONOCHROME1' ? 'INVERSE' : 'IDENTITY',
    LossyImageCompression: '00',
    BreastImplantPresent: 'NO',
    PartialView: 'NO',
    PixelData: pixelData,
    _vrMap: { PixelData: 'OW' },
  };
  if (image.window) {
    dataset.WindowCenter = ds(image.window.center);
    dataset.WindowWidth = ds(image.window.width);
    dataset.WindowCenterWidthExplanation = 'NORMAL';
  }
  return dataset;
}
