/**
 * Groups points into clusters by single linkage: two specks belong together when a chain of specks
 * joins them with no link longer than linkDistance. BI-RADS "grouped" means at least 3 (older texts)
 * or 5 specks within 1 cm, so a link of about 5 mm with a minimum of 3 specks is the usual reading
 * (LESIONS.md). A uniform grid of cell size linkDistance keeps this near-linear for thousands of points.
 *
 * Returns the groups with at least minCount members, each as ascending indices into points, ordered
 * by their first index (deterministic).
 */
export function clusterSpecks(points: { x: number; y: number }[], linkDistance: number, minCount: number): number[][] {
  const parent = points.map((_, i) => i);
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  const cells = new Map<string, number[]>();
  const cellOf = (p: { x: number; y: number }) => [Math.floor(p.x / linkDistance), Math.floor(p.y / linkDistance)];
  points.forEach((p, i) => {
    const [cx, cy] = cellOf(p);
    const key = `${cx},${cy}`;
    const list = cells.get(key);
    if (list) list.push(i);
    else cells.set(key, [i]);
  });
  const limit = linkDistance * linkDistance;
  points.forEach((p, i) => {
    const [cx, cy] = cellOf(p);
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        for (const j of cells.get(`${cx + dx},${cy + dy}`) ?? []) {
          if (j <= i) continue;
          const q = points[j];
          if ((p.x - q.x) ** 2 + (p.y - q.y) ** 2 <= limit) {
            const ri = find(i);
            const rj = find(j);
            if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
          }
        }
      }
    }
  });
  const groups = new Map<number, number[]>();
  points.forEach((_, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  });
  return [...groups.values()].filter((g) => g.length >= minCount).sort((a, b) => a[0] - b[0]);
}
