import { makeClusterRecords } from '../../../src/synth/clusters/clusterDataset';
import { insidePolygon } from '../../../src/geometry/polygon';

describe('cluster dataset', () => {
  it('is deterministic, balanced and keeps every speck inside its outline', () => {
    const records = makeClusterRecords(300, 5);
    expect(JSON.stringify(makeClusterRecords(300, 5))).toBe(JSON.stringify(records));
    const malignant = records.filter((r) => r.pathology === 'malignant').length;
    expect(malignant / records.length).toBeGreaterThan(0.4);
    expect(malignant / records.length).toBeLessThan(0.6);
    for (const record of records) {
      expect(record.cluster.pathology).toBe(record.pathology);
      for (const speck of record.specks) expect(insidePolygon({ x: speck.xMm, y: speck.yMm }, record.cluster.outline)).toBe(true);
    }
    const typicalMalignant = records.filter((r) => r.pathology === 'malignant' && !r.atypical);
    for (const record of typicalMalignant) expect(record.specks.length).toBeGreaterThanOrEqual(8);
  });
});
