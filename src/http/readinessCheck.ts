/** One thing the node needs before it can take work; /readyz runs them all and names the failures. */
export interface ReadinessCheck {
  /** Short stable name shown in /readyz (e.g. "redis", "models", "spool"). */
  name: string;
  /** Resolves ok or not; a thrown error counts as not ok with its message as the detail. */
  run(): Promise<ReadinessResult>;
}

export interface ReadinessResult {
  ok: boolean;
  /** Why it failed, or a short fact when it passed (free space, model names). */
  detail?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Array<{ name: string } & ReadinessResult>;
  /** Names of the failing checks, in check order. */
  failing: string[];
}

/** Runs every check in parallel, each under its own time limit, so one hung dependency cannot hang /readyz. */
export async function runReadinessChecks(checks: ReadinessCheck[], timeoutMs = 3000): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (c) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<ReadinessResult>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
      });
      try {
        const r = await Promise.race([c.run(), timeout]);
        return { name: c.name, ...r };
      } catch (err) {
        return { name: c.name, ok: false, detail: (err as Error).message };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const failing = results.filter((r) => !r.ok).map((r) => r.name);
  return { ready: failing.length === 0, checks: results, failing };
}
