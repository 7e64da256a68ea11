/** Every real sample header (placeholders, dose SRs, a proprietary projection) gives a typed answer. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { prepareImage } from '../../../src/imaging';

const samples = resolve(__dirname, '../../../../shared/data/dicom-samples');
const present = existsSync(samples);
if (!present) console.warn(`skipping sample robustness tests: ${samples} not found`);

(present ? describe : describe.skip)('real sample files never throw out of prepareImage', () => {
  it.each([
    ['MG-Im-GE_Seno_1_ForPresentation.dcm', 'not analysable: image too small (2x1)'],
    ['MG-Im-GE_Seno_2_ForPresentation.dcm', 'not analysable: image too small (2x1)'],
    ['MG-Im-GE_Seno_1_ForProcessing.dcm', 'not analysable: image too small (2x1)'],
    ['MG-Im-Hologic-PropProj.dcm', 'not analysable: no pixel data'],
    ['MG-RDSR-Hologic_2D.dcm', 'not analysable: missing image dimensions (Rows/Columns)'],
    ['MG-RDSR-Hologic_mix.dcm', 'not analysable: missing image dimensions (Rows/Columns)'],
    ['MG_Explicit_Little.dcm', 'not analysable: no breast tissue found'],
  ])('%s → %s', async (file, reason) => {
    const r = await prepareImage(join(samples, file), { workingSpacingMm: 0.07, defaultSpacingMm: 0.1 });
    // Each header was read, so the findings still name the image.
    expect(r).toMatchObject({ ok: false, reason, header: { sopInstanceUid: expect.stringMatching(/^[0-9.]+$/) } });
  });
});
