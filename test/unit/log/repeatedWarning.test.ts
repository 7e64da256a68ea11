import { logger } from '../../../src/log/logger';
import { RepeatedWarning } from '../../../src/log/repeatedWarning';

describe('RepeatedWarning: one line per kind of error and interval', () => {
  let warn: jest.SpyInstance;
  let clock = 0;
  beforeEach(() => {
    clock = 0;
    warn = jest.spyOn(logger, 'warn').mockImplementation(() => logger);
  });
  afterEach(() => warn.mockRestore());

  it('logs the first at once, leaves out repeats inside the interval, then says how many it left out', () => {
    const w = new RepeatedWarning('queue connection error', 60_000, () => clock);
    for (let i = 0; i < 500; i++) {
      w.warn({ stage: 'instances', error: 'connect ECONNREFUSED 127.0.0.1:6379' });
      clock += 100;
    }
    // 500 errors over 50 s: one line only.
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenLastCalledWith('queue connection error', { stage: 'instances', error: 'connect ECONNREFUSED 127.0.0.1:6379' });
    clock = 61_000;
    w.warn({ stage: 'instances', error: 'connect ECONNREFUSED 127.0.0.1:6379' });
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenLastCalledWith('queue connection error', {
      stage: 'instances',
      error: 'connect ECONNREFUSED 127.0.0.1:6379',
      leftOut: 499,
      sinceMs: 61_000,
    });
  });

  it('a different error or stage is not hidden behind the first', () => {
    const w = new RepeatedWarning('worker error', 60_000, () => clock);
    w.warn({ stage: 'instances', error: 'connect ECONNREFUSED' });
    w.warn({ stage: 'reports', error: 'connect ECONNREFUSED' });
    w.warn({ stage: 'instances', error: 'OOM command not allowed' });
    w.warn({ stage: 'instances', error: 'connect ECONNREFUSED' });
    expect(warn.mock.calls.map((c) => c[1])).toEqual([
      { stage: 'instances', error: 'connect ECONNREFUSED' },
      { stage: 'reports', error: 'connect ECONNREFUSED' },
      { stage: 'instances', error: 'OOM command not allowed' },
    ]);
  });
});
