import type { Job } from 'bullmq';
import type { ImageFindings } from '../../../src/findings/types';
import { logger } from '../../../src/log/logger';
import { analyseInstanceHandler } from '../../../src/pipeline/analyseInstanceHandler';
import type { InstancePayload } from '../../../src/pipeline/instanceIntake';
import type { PipelineContext } from '../../../src/pipeline/pipelineContext';

/** The instance handler around an analysis that returns `analysed`, with an in-memory study state. */
function handlerFor(analysed: Partial<ImageFindings>) {
  const saved = new Map<string, ImageFindings>();
  const ctx = {
    config: { pipeline: { settleSeconds: 1 } },
    state: {
      findings: async () => saved,
      saveFindings: async (f: ImageFindings) => void saved.set(f.sopInstanceUid, f),
      summary: async () => null,
      isRejected: async () => false,
    },
    analysis: {
      analyse: async () =>
        ({
          seriesUid: '',
          sopClassUid: '',
          status: 'analysed',
          clusters: [],
          imageScore: 0,
          algorithm: { name: 'stub', version: '0' },
          ...analysed,
        }) as ImageFindings,
    },
  } as unknown as PipelineContext;
  const payload = {
    studyUid: '1.2.3',
    sopInstanceUid: '1.2.3.4',
    seriesUid: '1.2.3.5',
    sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2',
    path: '/spool/x.dcm',
  } as InstancePayload;
  return () => analyseInstanceHandler(ctx)(payload, { attemptsMade: 0 } as Job);
}

describe('instance analysis of an image without pixel spacing', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => (warn = jest.spyOn(logger, 'warn').mockImplementation(() => logger)));
  afterEach(() => warn.mockRestore());

  it('warns that the spacing was assumed, and that it cannot be right when the image would be larger than any film', async () => {
    await handlerFor({ rows: 4664, columns: 3064, assumedSpacingMm: 0.1 })();
    expect(warn).toHaveBeenCalledTimes(1);
    const [message, meta] = warn.mock.calls[0];
    expect(message).toBe('image has no pixel spacing: analysed at the assumed imaging.defaultSpacingMm');
    expect(meta).toMatchObject({ sopInstanceUid: '1.2.3.4', assumedSpacingMm: 0.1 });
    expect(meta.implausible).toMatch(/^306 x 466 mm .* set imaging.defaultSpacingMm for this source$/);
  });

  it('warns without the size remark when the assumed spacing gives a plausible field', async () => {
    await handlerFor({ rows: 2294, columns: 1914, assumedSpacingMm: 0.1 })();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][1]).not.toHaveProperty('implausible');
  });

  it("names a digitised film's Spatial Resolution when the spacing came from it", async () => {
    await handlerFor({
      rows: 4664,
      columns: 3064,
      assumedSpacingMm: 0.05,
      assumedSpacingFrom: 'spatialResolution',
    })();
    expect(warn).toHaveBeenCalledTimes(1);
    const [message, meta] = warn.mock.calls[0];
    expect(message).toBe("image has no pixel spacing: analysed at the digitised film's Spatial Resolution");
    expect(meta).toMatchObject({ assumedSpacingMm: 0.05 });
    expect(meta).not.toHaveProperty('implausible');
  });

  it('stays quiet when the header held the spacing', async () => {
    await handlerFor({ rows: 4096, columns: 3328 })();
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('instance analysis log line', () => {
  let info: jest.SpyInstance;
  beforeEach(() => (info = jest.spyOn(logger, 'info').mockImplementation(() => logger)));
  afterEach(() => info.mockRestore());

  const analysedLine = () => info.mock.calls.find(([message]) => message === 'image analysed')?.[1];

  it("names a not-analysable image's reason, so the engineer on call need not open the status page", async () => {
    await handlerFor({ status: 'failed', failureReason: 'not analysable: image too small (2x1)' })();
    expect(analysedLine()).toMatchObject({ sopInstanceUid: '1.2.3.4', status: 'failed', reason: 'not analysable: image too small (2x1)' });
  });

  it('has no reason for an analysed image', async () => {
    await handlerFor({ rows: 4096, columns: 3328 })();
    expect(analysedLine()).toMatchObject({ status: 'analysed', clusters: 0 });
    expect(analysedLine()).not.toHaveProperty('reason');
  });
});
