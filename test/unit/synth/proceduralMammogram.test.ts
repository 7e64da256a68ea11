import { proceduralMammogram } from '../../../src/synth/proceduralMammogram';
import { insidePolygon } from '../../../src/geometry/polygon';
import { SIZE_RANGE_MM } from '../../../src/synth/lesions/clusterRecipes';
import { fft1d } from '../../../src/synth/fft';

describe('procedural mammogram', () => {
  const request = { view: { laterality: 'R' as const, view: 'MLO' as const }, rows: 512, columns: 416, spacingMm: 0.07, seed: 11 };

  it('is identical for the same seed, pixels and truth', () => {
    const a = proceduralMammogram(request);
    const b = proceduralMammogram(request);
    expect(Buffer.from(a.image.attenuation.buffer).equals(Buffer.from(b.image.attenuation.buffer))).toBe(true);
    expect(JSON.stringify({ s: a.specks, c: a.clusters })).toBe(JSON.stringify({ s: b.specks, c: b.clusters }));
    const other = proceduralMammogram({ ...request, seed: 12 });
    expect(Buffer.from(a.image.attenuation.buffer).equals(Buffer.from(other.image.attenuation.buffer))).toBe(false);
  });

  it('puts the chest wall of a right breast on the right edge', () => {
    const { image } = proceduralMammogram(request);
    const row = Math.floor(image.height / 2) * image.width;
    expect(image.breastMask[row + image.width - 1]).toBe(1);
    expect(image.breastMask[row]).toBe(0);
  });

  it('writes ground truth whose specks lie inside their cluster outline and the image, with sizes in range', () => {
    let clusterCount = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const result = proceduralMammogram({ ...request, seed, view: { laterality: 'L', view: 'CC' } });
      for (const speck of result.specks) {
        expect(speck.x).toBeGreaterThanOrEqual(0);
        expect(speck.x).toBeLessThan(request.columns);
        expect(speck.y).toBeGreaterThanOrEqual(0);
        expect(speck.y).toBeLessThan(request.rows);
        const range = SIZE_RANGE_MM[speck.type];
        expect(speck.diameterMm).toBeGreaterThanOrEqual(range.diameter[0] - 1e-3);
        expect(speck.diameterMm).toBeLessThanOrEqual(range.diameter[1] + 1e-3);
        expect(result.image.breastMask[Math.floor(speck.y) * request.columns + Math.floor(speck.x)]).toBe(1);
      }
      for (const cluster of result.clusters) {
        clusterCount++;
        const members = result.specks.filter((s) => s.clusterId === cluster.id);
        expect(members.length).toBeGreaterThan(0);
        expect(cluster.outline[0]).toEqual(cluster.outline[cluster.outline.length - 1]);
        for (const speck of members) expect(insidePolygon(speck, cluster.outline)).toBe(true);
        expect(insidePolygon(cluster.center, cluster.outline)).toBe(true);
      }
    }
    expect(clusterCount).toBeGreaterThan(0);
  });
});

describe('fft', () => {
  it('inverts itself and matches a direct DFT', () => {
    const re = Float64Array.from([1, 2, 3, 4, 0, -1, 2, 5]);
    const im = new Float64Array(8);
    const copy = re.slice();
    fft1d(re, im, false);
    // DFT bin 1 computed directly.
    let directRe = 0;
    let directIm = 0;
    for (let n = 0; n < 8; n++) {
      directRe += copy[n] * Math.cos((-2 * Math.PI * n) / 8);
      directIm += copy[n] * Math.sin((-2 * Math.PI * n) / 8);
    }
    expect(re[1]).toBeCloseTo(directRe, 9);
    expect(im[1]).toBeCloseTo(directIm, 9);
    fft1d(re, im, true);
    for (let n = 0; n < 8; n++) expect(re[n]).toBeCloseTo(copy[n], 9);
  });
});
