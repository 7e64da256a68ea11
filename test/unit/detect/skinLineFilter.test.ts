import type { DetectedSpeck } from '../../../src/detect/detectedSpeck';
import { awayFromBreastEdge } from '../../../src/detect/skinLineFilter';
import { clusterDetectionScore } from '../../../src/detect/buildClusterFindings';

const speck = (x: number, y: number): DetectedSpeck => ({ x, y, areaPx: 4, diameterMm: 0.16, score: 0.9, contrast: 1, elongation: 1, orientation: 0, component: x * 1000 + y });

describe('awayFromBreastEdge', () => {
  it('keeps specks deep in the breast and drops those within the margin of its edge', () => {
    const w = 100;
    const h = 100;
    const mask = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < 60; x++) mask[y * w + x] = 1; // breast: x < 60
    const kept = awayFromBreastEdge([speck(30.5, 50.5), speck(57.5, 50.5), speck(2.5, 50.5)], mask, w, h, 10);
    // x = 57.5 is 2.5 px from the skin line; x = 2.5 is near the image border, which is not an edge.
    expect(kept.map((s) => s.x)).toEqual([30.5, 2.5]);
  });
});

describe('clusterDetectionScore', () => {
  it('is the mean of the three strongest scores for a triple and grows with more agreeing specks', () => {
    expect(clusterDetectionScore([0.9, 0.6, 0.6])).toBeCloseTo(0.7, 10);
    expect(clusterDetectionScore([0.9, 0.6, 0.6, 0.55, 0.55, 0.55])).toBeGreaterThan(0.7);
    expect(clusterDetectionScore(new Array(40).fill(0.99))).toBeLessThanOrEqual(1);
  });
});
