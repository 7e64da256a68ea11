/**
 * What a process's /metrics text offers Prometheus queries: each metric's series names (a histogram's
 * are its name with _bucket, _sum and _count). For checking that the alerting rules and the Grafana
 * dashboard read only series the node really exports (a renamed metric would silence them).
 */
export function exportedSeriesNames(metricsText: string): Set<string> {
  return new Set(
    [...metricsText.matchAll(/^# TYPE (\S+) (\S+)/gm)].flatMap(([, name, type]) =>
      type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
    ),
  );
}

/** The mammocad_* series names a set of PromQL expressions reads, sorted. */
export function mammocadSeriesIn(expressions: string[]): string[] {
  return [...new Set(expressions.flatMap((e) => e.match(/\bmammocad_[a-z0-9_]+/g) ?? []))].sort();
}
