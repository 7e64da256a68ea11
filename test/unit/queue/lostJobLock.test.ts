import { logger } from '../../../src/log/logger';
import { reportLostJobLock } from '../../../src/queue/lostJobLock';

describe('a lost job lock (BullMQ): the worker was held up, Redis refused nothing', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => (warn = jest.spyOn(logger, 'warn').mockImplementation(() => logger)));
  afterEach(() => warn.mockRestore());

  it.each([
    ['could not renew lock for job instance.analyse-2.25.17', 'instance.analyse-2.25.17'],
    ['Missing lock for job export.store-2.25.3-gsps-PACS@127.0.0.1_104-9160b. moveToFinished', 'export.store-2.25.3-gsps-PACS@127.0.0.1_104-9160b'],
    ['Lock mismatch for job study.report-2.25.9. Cmd moveToDelayed from active', 'study.report-2.25.9'],
  ])('%s: logged with its job id', (message, jobId) => {
    expect(reportLostJobLock(new Error(message), 'exports')).toBe(true);
    expect(warn).toHaveBeenCalledWith('job lock lost: the worker or Redis was held up longer than pipeline.stalledSeconds', expect.objectContaining({ stage: 'exports', jobId }));
  });

  it('leaves every other error alone', () => {
    for (const message of ['OOM command not allowed when used memory > maxmemory', 'read ECONNRESET', 'Missing key for job x. moveToFinished'])
      expect(reportLostJobLock(new Error(message), 'exports')).toBe(false);
    expect(warn).not.toHaveBeenCalled();
  });
});
