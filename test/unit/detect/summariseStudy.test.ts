import { summariseStudy } from '../../../src/detect/summariseStudy';
import type { ImageFindings } from '../../../src/findings/types';

function image(
  sopInstanceUid: string,
  laterality: 'L' | 'R',
  status: 'analysed' | 'failed',
  malignancy: number[],
): ImageFindings {
  return {
    studyUid: '1.2.3',
    seriesUid: '1.2.3.1',
    sopInstanceUid,
    sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2',
    status,
    laterality,
    clusters: malignancy.map((m) => ({ malignancy: m }) as ImageFindings['clusters'][number]),
    imageScore: Math.max(0, ...malignancy),
    algorithm: { name: 'mammocad', version: 'test' },
  } as ImageFindings;
}

describe('summariseStudy', () => {
  it('takes the maximum per breast and per exam over analysed images only', () => {
    const study = summariseStudy([
      image('1.2.3.1.1', 'L', 'analysed', [0.2, 0.7]),
      image('1.2.3.1.2', 'R', 'analysed', []),
      image('1.2.3.1.3', 'R', 'failed', [0.9]),
    ]);
    expect(study.breastScores).toEqual({ L: 0.7, R: 0 });
    expect(study.examScore).toBe(0.7);
  });

  it('gives no exam score when no image was analysed, rather than 0 for nothing suspicious', () => {
    const study = summariseStudy([
      image('1.2.3.1.1', 'L', 'failed', []),
      image('1.2.3.1.2', 'R', 'failed', []),
    ]);
    expect(study.breastScores).toEqual({});
    expect(study).not.toHaveProperty('examScore');
  });
});
