import type { CalcificationDistribution, CalcificationType } from '../findings/types';

/**
 * Every coded concept our three objects use, with the Code Meaning exactly as PS3.16 spells it
 * (validators compare meanings, and the retired DCM calcification codes are rejected, so only the
 * SCT ones appear here).
 */
export interface Code {
  readonly value: string;
  readonly scheme: string;
  readonly meaning: string;
}

const dcm = (value: string, meaning: string): Code => ({ value, scheme: 'DCM', meaning });
const sct = (value: string, meaning: string): Code => ({ value, scheme: 'SCT', meaning });
const ucum = (value: string, meaning: string): Code => ({ value, scheme: 'UCUM', meaning });

export const codes = {
  // Document titles and containers
  mammographyCadReport: dcm('111036', 'Mammography CAD Report'),
  imagingMeasurementReport: dcm('126000', 'Imaging Measurement Report'),
  imageLibrary: dcm('111028', 'Image Library'),
  imageLibraryGroup: dcm('126200', 'Image Library Group'),
  imagingMeasurements: dcm('126010', 'Imaging Measurements'),
  measurementGroup: dcm('125007', 'Measurement Group'),
  individualImpressionRecommendation: dcm('111034', 'Individual Impression/Recommendation'),
  successfulDetections: dcm('111063', 'Successful Detections'),
  failedDetections: dcm('111025', 'Failed Detections'),

  // Key Object Selection (TID 2010)
  keyObjectDescription: dcm('113012', 'Key Object Description'),

  // Language (TID 1204)
  languageOfContentItemAndDescendants: dcm('121049', 'Language of Content Item and Descendants'),
  english: { value: 'en-US', scheme: 'RFC5646', meaning: 'English (United States)' } as Code,
  countryOfLanguage: dcm('121046', 'Country of Language'),
  unitedStates: { value: 'US', scheme: 'ISO3166_1', meaning: 'United States' } as Code,

  // Image library acquisition context (TID 4020)
  imageLaterality: dcm('111027', 'Image Laterality'),
  imageView: dcm('111031', 'Image View'),
  imageViewModifier: dcm('111032', 'Image View Modifier'),
  patientOrientationRow: dcm('111044', 'Patient Orientation Row'),
  patientOrientationColumn: dcm('111043', 'Patient Orientation Column'),
  studyDate: dcm('111060', 'Study Date'),
  studyTime: dcm('111061', 'Study Time'),
  contentDate: dcm('111018', 'Content Date'),
  contentTime: dcm('111019', 'Content Time'),
  horizontalPixelSpacing: dcm('111026', 'Horizontal Pixel Spacing'),
  verticalPixelSpacing: dcm('111066', 'Vertical Pixel Spacing'),

  // CAD findings (TID 4000-4023)
  cadProcessingAndFindingsSummary: dcm('111017', 'CAD Processing and Findings Summary'),
  singleImageFinding: dcm('111059', 'Single Image Finding'),
  renderingIntent: dcm('111056', 'Rendering Intent'),
  cadOperatingPoint: dcm('111071', 'CAD Operating Point'),
  maximumCadOperatingPoint: dcm('111072', 'Maximum CAD Operating Point'),
  recommendedCadOperatingPoint: dcm('111092', 'Recommended CAD Operating Point'),
  algorithmName: dcm('111001', 'Algorithm Name'),
  algorithmVersion: dcm('111003', 'Algorithm Version'),
  certaintyOfFinding: dcm('111012', 'Certainty of Finding'),
  probabilityOfCancer: dcm('111047', 'Probability of cancer'),
  center: dcm('111010', 'Center'),
  outline: dcm('111041', 'Outline'),
  calcificationType: dcm('111009', 'Calcification Type'),
  calcificationDistribution: dcm('111008', 'Calcification Distribution'),
  numberOfCalcifications: dcm('111038', 'Number of calcifications'),
  summaryOfDetections: dcm('111064', 'Summary of Detections'),
  summaryOfAnalyses: dcm('111065', 'Summary of Analyses'),
  detectionPerformed: dcm('111022', 'Detection Performed'),
  calcificationCluster: sct('129769006', 'Calcification Cluster'),
  individualCalcification: sct('129770007', 'Individual Calcification'),

  // CID 6042 / 6047 summaries
  succeeded: dcm('111222', 'Succeeded'),
  partlySucceeded: dcm('111223', 'Partially Succeeded'),
  failed: dcm('111224', 'Failed'),
  notAttempted: dcm('111225', 'Not Attempted'),
  allSucceededWithoutFindings: dcm('111241', 'All algorithms succeeded; without findings'),
  allSucceededWithFindings: dcm('111242', 'All algorithms succeeded; with findings'),
  notAllSucceededWithoutFindings: dcm('111243', 'Not all algorithms succeeded; without findings'),
  notAllSucceededWithFindings: dcm('111244', 'Not all algorithms succeeded; with findings'),
  noneSucceededWithoutFindings: dcm('111245', 'No algorithms succeeded; without findings'),

  // CID 6034 Rendering Intent: the full meanings, validators reject the short forms
  presentationRequired: dcm('111150', 'Presentation Required: Rendering device is expected to present'),
  presentationOptional: dcm('111151', 'Presentation Optional: Rendering device may present'),
  notForPresentation: dcm('111152', 'Not for Presentation: Rendering device expected not to present'),

  // TID 1500 / 1001 / 1410
  procedureReported: dcm('121058', 'Procedure reported'),
  imagingProcedure: sct('363679005', 'Imaging procedure'),
  observerType: dcm('121005', 'Observer Type'),
  device: dcm('121007', 'Device'),
  deviceObserverUid: dcm('121012', 'Device Observer UID'),
  deviceObserverName: dcm('121013', 'Device Observer Name'),
  deviceObserverManufacturer: dcm('121014', 'Device Observer Manufacturer'),
  deviceObserverModelName: dcm('121015', 'Device Observer Model Name'),
  trackingIdentifier: dcm('112039', 'Tracking Identifier'),
  trackingUniqueIdentifier: dcm('112040', 'Tracking Unique Identifier'),
  finding: dcm('121071', 'Finding'),
  imageRegion: dcm('111030', 'Image Region'),

  // Laterality (CID 6023 subset) and views (CID 4014)
  leftBreast: sct('80248007', 'Left breast'),
  rightBreast: sct('73056007', 'Right breast'),
  // CID 244 Laterality, which the TID 1500 image library (TID 1602) asks for instead.
  left: sct('7771000', 'Left'),
  right: sct('24028007', 'Right'),

  // Units
  millimeter: ucum('mm', 'millimeter'),
  percent: ucum('%', 'percent'),
  noUnits: ucum('1', 'no units'),
  // TID 4006 / 4023 units, spelled as the template tables (and PixelMed's copy of them) spell them.
  operatingPointRange: ucum('{1:n}', 'range: 1:n'),
  recommendedOperatingPointRange: ucum('{0:n}', 'range:0:n'),
  arbitraryUnit: ucum("[arb'U]", 'arbitrary unit'),
} as const;

/** CID 4014 "View for Mammography" by the ACR/DICOM abbreviation. */
export const mammographyViews: Readonly<Record<string, Code>> = {
  CC: sct('399162004', 'cranio-caudal'),
  MLO: sct('399368009', 'medio-lateral oblique'),
  ML: sct('399260004', 'medio-lateral'),
  LM: sct('399352003', 'latero-medial'),
  LMO: sct('399099002', 'latero-medial oblique'),
  FB: sct('399196006', 'caudo-cranial (from below)'),
  SIO: sct('399188001', 'superolateral to inferomedial oblique'),
  ISO: sct('441555000', 'inferomedial to superolateral oblique'),
  XCCL: sct('399192008', 'cranio-caudal exaggerated laterally'),
  XCCM: sct('399101009', 'cranio-caudal exaggerated medially'),
};

/** The SNOMED RT (SRT) view codes older modalities still send, mapped to their SCT successors. */
export const legacySrtViewCodes: Readonly<Record<string, string>> = {
  'R-10242': 'CC',
  'R-10226': 'MLO',
  'R-10224': 'ML',
  'R-10228': 'LM',
  'R-10230': 'LMO',
  'R-10244': 'FB',
  'R-102D0': 'SIO',
  'R-40AAA': 'ISO',
  'R-1024A': 'XCCL',
  'R-1024B': 'XCCM',
};

/** CID 6011 code for each BI-RADS morphology our classifier names. */
export const calcificationTypeCodes: Readonly<Record<CalcificationType, Code>> = {
  punctate: sct('129755006', 'Punctate calcification'),
  round: sct('129756007', 'Round shaped calcification'),
  amorphous: sct('129760005', 'Amorphous calcification'),
  finePleomorphic: dcm('111344', 'Fine pleomorphic calcification'),
  fineLinear: sct('129761009', 'Fine, linear (casting) calcification'),
  fineLinearBranching: sct('129762002', 'Fine linear, branching (casting) calcification'),
  coarseHeterogeneous: sct('129763007', 'Heterogeneous calcification'),
  popcorn: sct('129749001', 'Coarse (popcorn-like) calcification'),
  vascular: sct('129759000', 'Vascular calcification'),
  // BI-RADS 4th edition "eggshell or rim": CID 6011 has no separate rim code.
  rim: sct('129751002', 'Eggshell calcification'),
};

/** CID 6013 code for each BI-RADS distribution. */
export const calcificationDistributionCodes: Readonly<Record<CalcificationDistribution, Code>> = {
  diffuse: sct('129764001', 'Diffuse calcification distribution'),
  linear: sct('129765000', 'Linear calcification distribution'),
  grouped: sct('129766004', 'Grouped calcification distribution'),
  regional: sct('129767008', 'Regional calcification distribution'),
  segmental: sct('129768003', 'Segmental calcification distribution'),
};
