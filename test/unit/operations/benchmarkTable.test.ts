import { benchmarksMarkdown, figuresOf, peerRatio } from '../../../scripts/bench/benchmarkTable';

const ingestJson = {
  benchmark: 'ingest',
  images: 8,
  rounds: 3,
  mammocadRole: 'receiver',
  mammocad: { imagesPerSecond: 12, megabytesPerSecond: 240 },
  storescp: { imagesPerSecond: 15, megabytesPerSecond: 300 },
  mammocadPeakRssMb: 180,
  medianRoundRatio: 0.82,
  loadAverageDuringRun: 3.04,
};
const inferJson = {
  image: { width: 3328, height: 4096 },
  threads: 2,
  runs: 3,
  sessionStartMs: 420,
  detectAndClassifyMs: { median: 1600, all: [1600, 1650, 1590] },
  peakProcessRssMb: 900,
  targets: { ms: 2000, peakMemoryMb: 1536 },
};

describe('benchmark table', () => {
  it('reads the ingest result as rates against storescp (0.8× = 80 % of its speed)', () => {
    const figures = figuresOf('ingest', ingestJson);
    expect(figures[0]).toMatchObject({ value: 12, unit: 'images/s', peer: { name: 'storescp (dcmtk)', value: 15 } });
    expect(peerRatio(figures[0])).toBeCloseTo(0.8);
    expect(peerRatio(figures[1])).toBeCloseTo(0.8);
    expect(peerRatio(figures[2])).toBeUndefined();
  });

  it('reads the inference result as times against their targets (2000 ms target / 1600 ms = 1.25×)', () => {
    const figures = figuresOf('infer', inferJson);
    expect(figures[0].name).toBe('detect + classify, 3328×4096, 2 threads (median of 3)');
    expect(peerRatio(figures[0])).toBeCloseTo(1.25);
    expect(peerRatio(figures[2])).toBeCloseTo(1536 / 900);
  });

  it('takes a benchmark\'s own "figures" as they are, and refuses an unknown format', () => {
    const own = [{ name: 'studies per hour', value: 30, unit: 'studies/h', peer: { name: 'target', value: 20 } }];
    expect(figuresOf('e2e', { figures: own })).toEqual(own);
    expect(peerRatio(own[0])).toBeCloseTo(1.5);
    expect(() => figuresOf('imaging', { speed: 3 })).toThrow(/unknown result format .*speed/);
  });

  it('writes one table with a row per figure and "not available" for a benchmark that did not run', () => {
    const md = benchmarksMarkdown(
      [
        { name: 'ingest', status: 'ok', figures: figuresOf('ingest', ingestJson) },
        { name: 'imaging', status: 'not available', reason: 'imaging.ts does not exist yet' },
      ],
      { date: '2026-11-22', host: '2 × test CPU' },
    );
    expect(md).toContain('| Benchmark | Figure | mammocad | Peer | Peer ratio | Note |');
    expect(md).toContain('| Ingest (C-STORE to durable spool) | images received (8×3 rounds, receiver) | 12.0 images/s | storescp (dcmtk): 15.0 images/s | 0.80× | median of per-round ratios 0.82×; load average 3.0 |');
    expect(md).toContain('| Imaging (decode and prepare) | not available | | | | imaging.ts does not exist yet |');
    expect(md).toContain('on 2026-11-22, 2 × test CPU');
  });
});
