/** Failed logins from one address within WINDOW_MS that block it. */
const MAX_FAILURES = 10;
const WINDOW_MS = 5 * 60_000;
/** Addresses with recent failures kept before old ones are swept. */
const MAX_TRACKED = 10_000;
/** How long a blocked address is refused without its credentials being looked at. */
const BLOCK_MS = 5 * 60_000;

/**
 * Slows password guessing on the HTTP endpoints: an address with MAX_FAILURES failed logins within
 * WINDOW_MS is refused (429) for BLOCK_MS, without scrypt or the token being checked for it.
 * A successful login clears its count. In memory, per process.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly blockedUntil = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds the address is still blocked, 0 when it is not. */
  blockedFor(address: string): number {
    const until = this.blockedUntil.get(address) ?? 0;
    const left = until - this.now();
    if (left > 0) return left;
    this.blockedUntil.delete(address);
    return 0;
  }

  /** Records a failed login; true when this one blocks the address. */
  failed(address: string): boolean {
    const now = this.now();
    if (this.failures.size > MAX_TRACKED) this.forgetOld(now);
    const recent = (this.failures.get(address) ?? []).filter((at) => now - at < WINDOW_MS);
    recent.push(now);
    if (recent.length < MAX_FAILURES) {
      this.failures.set(address, recent);
      return false;
    }
    this.failures.delete(address);
    this.blockedUntil.set(address, now + BLOCK_MS);
    return true;
  }

  succeeded(address: string): void {
    this.failures.delete(address);
  }

  /** Many addresses guessing once each must not grow the maps without end. */
  private forgetOld(now: number): void {
    for (const [address, times] of this.failures) if (now - times[times.length - 1] >= WINDOW_MS) this.failures.delete(address);
    for (const [address, until] of this.blockedUntil) if (until <= now) this.blockedUntil.delete(address);
  }
}
