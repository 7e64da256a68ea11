import { peerRatio } from '../../../scripts/bench/benchmarkTable';
import { median, steadyStudiesPerHour } from '../../../scripts/bench/benchProcess';

describe('peer ratio direction', () => {
  const figure = (unit: string) => ({ name: 'x', value: 12, unit, peer: { name: 'peer', value: 10 } });

  it('treats a rate as higher-is-better, whatever its unit contains (images/s, MB/s, studies/h)', () => {
    expect(peerRatio(figure('images/s'))).toBeCloseTo(1.2, 10);
    expect(peerRatio(figure('MB/s'))).toBeCloseTo(1.2, 10);
    expect(peerRatio(figure('studies/h'))).toBeCloseTo(1.2, 10);
  });

  it('treats a time or an amount of memory as lower-is-better', () => {
    for (const unit of ['ms', 's', 'seconds', 'MB', 'GB']) expect(peerRatio(figure(unit))).toBeCloseTo(10 / 12, 10);
  });

  it('follows higherIsBetter when it is given', () => {
    expect(peerRatio({ ...figure('MB/s'), higherIsBetter: false })).toBeCloseTo(10 / 12, 10);
    expect(peerRatio({ ...figure('ms'), higherIsBetter: true })).toBeCloseTo(1.2, 10);
  });
});

describe('median', () => {
  it('takes the middle value of an odd count and the mean of the two middle values of an even one', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 20])).toBe(15);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });
});

describe('steady-state studies per hour', () => {
  it('counts the studies after the first completion over the time from the first to the last', () => {
    // Five completions 9 s apart: 4 studies in 36 s = 400/h, whatever the wait before the first.
    expect(steadyStudiesPerHour([100_000, 109_000, 118_000, 127_000, 136_000])).toBeCloseTo(400, 10);
    expect(steadyStudiesPerHour([136_000, 100_000, 118_000, 109_000, 127_000])).toBeCloseTo(400, 10);
  });

  it('is not a number with fewer than two completions or none apart', () => {
    expect(steadyStudiesPerHour([5])).toBeNaN();
    expect(steadyStudiesPerHour([5, 5])).toBeNaN();
  });
});
