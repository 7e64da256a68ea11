import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from '../../../src/config/loadConfig';
import { configSchema } from '../../../src/config/schema';
import { notAnalysedReason } from '../../../src/dicom/notAnalysedImages';

const defaults = configSchema.parse({}).receiver;

describe('notAnalysedReason (the receiver: images of an analysed class acknowledged without analysis)', () => {
  it('a quality control image (YES, any case, padded) is not analysed; BOTH, NO or absent is', () => {
    const conventional = 'ORIGINAL\\PRIMARY\\';
    expect(notAnalysedReason({ imageType: conventional, qualityControlImage: 'YES' }, defaults)).toBe('Quality Control Image YES (a phantom or calibration image)');
    expect(notAnalysedReason({ imageType: conventional, qualityControlImage: 'yes ' }, defaults)).toMatch(/^Quality Control Image YES/);
    for (const qualityControlImage of ['BOTH', 'NO', undefined]) expect(notAnalysedReason({ imageType: conventional, qualityControlImage }, defaults)).toBeUndefined();
  });

  it('receiver.analyseQualityControlImages analyses QC images; the Image Type rule still applies, and names its terms first', () => {
    expect(defaults.analyseQualityControlImages).toBe(false);
    const physicist = { ...defaults, analyseQualityControlImages: true };
    expect(notAnalysedReason({ qualityControlImage: 'YES' }, physicist)).toBeUndefined();
    const syntheticPhantom = { imageType: 'DERIVED\\PRIMARY\\TOMOSYNTHESIS\\GENERATED_2D', qualityControlImage: 'YES' };
    expect(notAnalysedReason(syntheticPhantom, physicist)).toBe('Image Type TOMOSYNTHESIS\\GENERATED_2D');
    expect(notAnalysedReason(syntheticPhantom, defaults)).toBe('Image Type TOMOSYNTHESIS\\GENERATED_2D');
  });

  it('MAMMOCAD_ANALYSE_QC_IMAGES and MAMMOCAD_ANALYSE_IMPLANT_VIEWS set the two options; anything but a boolean is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-qc-config-'));
    try {
      const config = loadConfig({ MAMMOCAD_ANALYSE_QC_IMAGES: 'true', MAMMOCAD_ANALYSE_IMPLANT_VIEWS: 'yes' }, dir);
      expect([config.receiver.analyseQualityControlImages, config.imaging.analyseImplantViews]).toEqual([true, true]);
      expect(() => loadConfig({ MAMMOCAD_ANALYSE_QC_IMAGES: 'maybe' }, dir)).toThrow(/MAMMOCAD_ANALYSE_QC_IMAGES: expected true or false/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
