/**
 * Groups points into clusters by single linkage: two specks belong together when a chain of specks
 * joins them with no link longer than linkDistance. BI-RADS "grouped" means at least 3 (older texts)
 * or 5 specks within 1 cm, so a link of about 5 mm with a minimum of 3 specks is the usual reading
 * (LESIONS.md).
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
  const grid = new PointGrid(points, linkDistance);
  points.forEach((p, i) => {
    for (const j of grid.near(p)) {
      if (j <= i) continue;
      const ri = find(i);
      const rj = find(j);
      if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
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

/**
 * As clusterSpecks, with joiners (joinerSpecks.ts): the core groups are the single-linkage groups of
 * at least minCore specks that are not joiners; each joiner within linkDistance of a core group's
 * member joins the group of its nearest such member. Joiners do not link to each other, so a trail
 * of faint spots cannot grow a group or make one. Returns the groups with at least minCount members,
 * joiners included, in clusterSpecks' form; without joiners the same groups as clusterSpecks.
 */
export function clusterSpecksWithJoiners(
  points: { x: number; y: number; joiner?: true }[],
  linkDistance: number,
  minCore: number,
  minCount: number,
): number[][] {
  const coreIndex = points.flatMap((p, i) => (p.joiner ? [] : [i]));
  const core = coreIndex.map((i) => points[i]);
  const groups = clusterSpecks(core, linkDistance, Math.min(minCore, minCount)).map((g) => g.map((k) => coreIndex[k]));
  const groupOf = new Map<number, number>();
  groups.forEach((g, n) => g.forEach((i) => groupOf.set(i, n)));
  const members = [...groupOf.keys()];
  const grid = new PointGrid(
    members.map((i) => points[i]),
    linkDistance,
  );
  points.forEach((p, i) => {
    if (!p.joiner) return;
    let nearest = -1;
    let best = Infinity;
    for (const k of grid.near(p)) {
      const q = points[members[k]];
      const d = (p.x - q.x) ** 2 + (p.y - q.y) ** 2;
      if (d < best) [best, nearest] = [d, members[k]];
    }
    if (nearest >= 0) groups[groupOf.get(nearest)!].push(i);
  });
  return groups
    .map((g) => g.sort((a, b) => a - b))
    .filter((g) => g.length >= minCount)
    .sort((a, b) => a[0] - b[0]);
}

/** Points bucketed in square cells of the link distance: the points within it of any position lie in
 * the 3 × 3 cells around it, which keeps linking near-linear for thousands of points. */
class PointGrid {
  private readonly cells = new Map<string, number[]>();

  constructor(
    private readonly points: { x: number; y: number }[],
    private readonly linkDistance: number,
  ) {
    points.forEach((p, i) => {
      const key = this.key(Math.floor(p.x / linkDistance), Math.floor(p.y / linkDistance));
      const list = this.cells.get(key);
      if (list) list.push(i);
      else this.cells.set(key, [i]);
    });
  }

  /** Indices of the points within the link distance of p (p itself included when it is one). */
  *near(p: { x: number; y: number }): Generator<number> {
    const cx = Math.floor(p.x / this.linkDistance);
    const cy = Math.floor(p.y / this.linkDistance);
    const limit = this.linkDistance * this.linkDistance;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        for (const j of this.cells.get(this.key(cx + dx, cy + dy)) ?? []) {
          const q = this.points[j];
          if ((p.x - q.x) ** 2 + (p.y - q.y) ** 2 <= limit) yield j;
        }
      }
    }
  }

  private key(cx: number, cy: number): string {
    return `${cx},${cy}`;
  }
}
