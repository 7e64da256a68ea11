import { logger } from './logger';

/**
 * A warning that may repeat many times a second (a queue's connection errors while Redis is away,
 * seven workers each retrying): the first of each kind is logged at once, then at most one line per
 * interval that says how many were left out since the last one. A kind is the message and the error
 * text together, so a new error is never hidden behind an old one.
 */
export class RepeatedWarning {
  private readonly kinds = new Map<string, { loggedAt: number; leftOut: number }>();

  constructor(
    private readonly message: string,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(meta: { error: string } & Record<string, unknown>): void {
    const key = JSON.stringify(meta);
    const at = this.now();
    const kind = this.kinds.get(key);
    if (kind && at - kind.loggedAt < this.intervalMs) {
      kind.leftOut++;
      return;
    }
    logger.warn(this.message, kind?.leftOut ? { ...meta, leftOut: kind.leftOut, sinceMs: at - kind.loggedAt } : meta);
    // Error texts can carry changing details; a bounded map cannot grow with them.
    if (!kind && this.kinds.size >= 100) this.kinds.clear();
    this.kinds.set(key, { loggedAt: at, leftOut: 0 });
  }
}
