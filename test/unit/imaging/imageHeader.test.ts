import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isNotAnalysable, readDicom, readImageHeader } from '../../../src/imaging';

const samples = resolve(__dirname, '../../../../shared/data/dicom-samples');
const haveSamples = existsSync(join(samples, 'MG-Im-GE_Seno_1_ForProcessing.dcm'));
if (!haveSamples) console.warn(`skipping real-header tests: ${samples} not found`);
const itReal = haveSamples ? it : it.skip;

describe('readImageHeader', () => {
  it('reads a naturalized dataset, including view code, laterality and VOI', () => {
    const h = readImageHeader(
      {
        Rows: 4096,
        Columns: 3328,
        BitsAllocated: 16,
        BitsStored: 12,
        HighBit: 11,
        PixelRepresentation: 0,
        SamplesPerPixel: 1,
        PhotometricInterpretation: 'MONOCHROME2',
        SOPClassUID: '1.2.840.10008.5.1.4.1.1.1.2',
        PresentationIntentType: 'FOR PRESENTATION',
        RescaleSlope: '1',
        RescaleIntercept: '0',
        WindowCenter: [2047, 1800],
        WindowWidth: ['4096', '3000'],
        PixelSpacing: [0.07, 0.07],
        Laterality: 'R',
        PatientOrientation: ['P', 'L'],
        ViewCodeSequence: [
          { CodeValue: '399368009', CodingSchemeDesignator: 'SCT', CodeMeaning: 'medio-lateral oblique' },
        ],
        StudyInstanceUID: '1.2.3',
        SeriesInstanceUID: '1.2.3.4',
        SOPInstanceUID: '1.2.3.4.5',
      },
      '1.2.840.10008.1.2.4.90',
    );
    expect(h).toMatchObject({
      rows: 4096,
      columns: 3328,
      bitsStored: 12,
      highBit: 11,
      numberOfFrames: 1,
      transferSyntaxUid: '1.2.840.10008.1.2.4.90',
      presentationIntentType: 'FOR PRESENTATION',
      rescaleSlope: 1,
      windowCenter: 2047,
      windowWidth: 4096,
      pixelSpacing: [0.07, 0.07],
      laterality: 'R',
      viewCode: 'MLO',
      patientOrientation: ['P', 'L'],
      sopInstanceUid: '1.2.3.4.5',
    });
  });

  it("reads a digitised film's spacing attributes (DS strings as dcmjs gives them)", () => {
    expect(
      readImageHeader({
        ConversionType: 'df',
        SpatialResolution: '.05',
        NominalScannedPixelSpacing: ['0.043', '0.043'],
      }),
    ).toMatchObject({
      conversionType: 'DF',
      spatialResolutionMm: 0.05,
      nominalScannedPixelSpacing: [0.043, 0.043],
    });
  });

  it('prefers ImageLaterality, falls back to ViewPosition and to code meanings', () => {
    expect(readImageHeader({ ImageLaterality: 'L', Laterality: 'R', ViewPosition: 'cc' }).laterality).toBe(
      'L',
    );
    expect(readImageHeader({ ViewPosition: 'cc' }).viewCode).toBe('CC');
    expect(
      readImageHeader({
        ViewCodeSequence: [{ CodeValue: 'X', CodeMeaning: 'Cranio-caudal exaggerated laterally' }],
      }).viewCode,
    ).toBe('XCCL');
    expect(readImageHeader({}).laterality).toBeUndefined();
  });

  itReal('reads the GE For Processing header (MONOCHROME1, imager spacing, view code R-10242)', () => {
    const parsed = readDicom(join(samples, 'MG-Im-GE_Seno_1_ForProcessing.dcm'));
    if (isNotAnalysable(parsed)) throw new Error(parsed.reason);
    const h = readImageHeader(parsed.dataset, parsed.transferSyntaxUid);
    expect(h).toMatchObject({
      presentationIntentType: 'FOR PROCESSING',
      photometricInterpretation: 'MONOCHROME1',
      laterality: 'L',
      viewCode: 'CC',
      imagerPixelSpacing: [0.094090909, 0.094090909],
      estimatedRadiographicMagnificationFactor: 1,
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2.1',
    });
  });
});
