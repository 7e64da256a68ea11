import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_NOT_ANALYSED_IMAGE_TYPES, notAnalysedImageType } from '../../../src/dicom/imageTypePolicy';
import { readPart10Header } from '../../../src/dicom/part10HeaderReader';
import { configSchema } from '../../../src/config/schema';

const SAMPLES = path.resolve(__dirname, '../../../../shared/data/dicom-samples');
const defaults = DEFAULT_NOT_ANALYSED_IMAGE_TYPES;

describe('which images of an analysed SOP class are analysed, by Image Type', () => {
  it('analyses conventional 2D views: Value 3 empty or absent, or no Image Type at all', () => {
    for (const imageType of [undefined, '', 'ORIGINAL\\PRIMARY', 'ORIGINAL\\PRIMARY\\', 'DERIVED\\PRIMARY\\\\', 'ORIGINAL\\SECONDARY\\ \\ '])
      expect({ imageType, term: notAnalysedImageType(imageType, defaults) }).toEqual({ imageType, term: undefined });
  });

  it('acknowledges synthesized 2D, tomosynthesis projections, stereotactic biopsy and recombined contrast images, naming the term', () => {
    expect(notAnalysedImageType('DERIVED\\PRIMARY\\TOMOSYNTHESIS\\GENERATED_2D', defaults)).toBe('TOMOSYNTHESIS\\GENERATED_2D');
    expect(notAnalysedImageType('DERIVED\\PRIMARY\\\\GENERATED_2D', defaults)).toBe('GENERATED_2D');
    expect(notAnalysedImageType('ORIGINAL\\PRIMARY\\TOMO_PROJ', defaults)).toBe('TOMO_PROJ');
    expect(notAnalysedImageType('ORIGINAL\\PRIMARY\\STEREO_SCOUT', defaults)).toBe('STEREO_SCOUT');
    expect(notAnalysedImageType('ORIGINAL\\PRIMARY\\PREFIRE_PLUS', defaults)).toBe('PREFIRE_PLUS');
    expect(notAnalysedImageType('DERIVED\\PRIMARY\\\\SUBTRACTION\\', defaults)).toBe('SUBTRACTION');
    expect(notAnalysedImageType('ORIGINAL\\PRIMARY\\\\\\HIGH_ENERGY', defaults)).toBe('HIGH_ENERGY');
    // Case and padding as some modalities write them.
    expect(notAnalysedImageType('derived\\primary\\ generated_2d', ['GENERATED_2D'])).toBe('GENERATED_2D');
  });

  it("analyses a contrast study's low-energy image, which reads as a conventional mammogram", () => {
    expect(notAnalysedImageType('ORIGINAL\\PRIMARY\\\\\\LOW_ENERGY', defaults)).toBeUndefined();
  });

  it('reads only Values 3 on: ORIGINAL/DERIVED and PRIMARY/SECONDARY never decide', () => {
    expect(notAnalysedImageType('GENERATED_2D\\TOMO_PROJ', defaults)).toBeUndefined();
  });

  it('follows the configuration: an empty list analyses everything, and the default is the list above', () => {
    expect(notAnalysedImageType('DERIVED\\PRIMARY\\TOMOSYNTHESIS\\GENERATED_2D', [])).toBeUndefined();
    const config = configSchema.parse({});
    expect(config.receiver.notAnalysedImageTypes).toEqual([...defaults]);
    expect(() => configSchema.parse({ receiver: { notAnalysedImageTypes: ['generated 2d'] } })).toThrow(/Image Type term/);
  });

  it('analyses the real GE Senographe images (DERIVED\\PRIMARY\\ with Value 3 empty)', async () => {
    if (!fs.existsSync(SAMPLES)) {
      console.warn(`skipped: ${SAMPLES} is absent`);
      return;
    }
    for (const name of ['MG-Im-GE_Seno_1_ForPresentation.dcm', 'MG-Im-GE_Seno_1_ForProcessing.dcm']) {
      const { header } = await readPart10Header(path.join(SAMPLES, name));
      expect({ name, imageType: header.imageType, term: notAnalysedImageType(header.imageType, defaults) }).toEqual({ name, imageType: 'DERIVED\\PRIMARY\\', term: undefined });
    }
  });
});
