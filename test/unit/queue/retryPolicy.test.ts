import { configSchema } from '../../../src/config/schema';
import { queueSettingsFrom, retryDelayMs, retryWindowMs } from '../../../src/queue/retryPolicy';

describe('retry policy of exports', () => {
  it('doubles from the first delay and stays at the cap', () => {
    const policy = { firstDelayMs: 10_000, maxDelayMs: 900_000 };
    expect([1, 2, 3, 7, 8, 20].map((n) => retryDelayMs(n, policy) / 1000)).toEqual([10, 20, 40, 640, 900, 900]);
  });

  it('by default outlasts a night of PACS maintenance: about 6 h of retries, then the dead letter', () => {
    const settings = queueSettingsFrom(configSchema.parse({ pipeline: { attempts: 5, backoffMs: 2000 } }));
    expect(settings).toMatchObject({ attempts: 5, backoffMs: 2000 });
    const exports = settings.retries!['export.store']!;
    expect(exports).toEqual({ attempts: 30, firstDelayMs: 10_000, maxDelayMs: 900_000 });
    expect(retryWindowMs(exports) / 3_600_000).toBeCloseTo(5.85, 2);
    // Analysis and reports keep the short pipeline retries: their failures do not wait on a PACS.
    expect(settings.retries!['instance.analyse']).toBeUndefined();
  });
});
