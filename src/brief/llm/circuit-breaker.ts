/** What one call says about the upstream: down (counts), up (resets), unknown (neither). */
export type UpstreamHealth = 'up' | 'down' | 'unknown';

/** While half-open with the probe still out, how soon others are told to come back. */
const PROBE_PENDING_MS = 1000;

/**
 * Closed → open after `threshold` consecutive `down` calls, or at once for as long as
 * the upstream asked (429 Retry-After). Once the open time has passed one probe goes
 * through (half-open): `up` closes the circuit, `down` opens it for another cool-down.
 */
export class CircuitBreaker {
  private failures = 0;
  /** Epoch ms until which calls are refused; 0 while closed. */
  private openUntil = 0;
  private probing = false;

  constructor(
    private readonly threshold: number,
    private readonly coolDownMs: number,
  ) {}

  /** 0 if a call may go ahead now, else the ms after which asking again makes sense. */
  blockedForMs(): number {
    if (this.openUntil === 0) return 0;
    const left = this.openUntil - Date.now();
    if (left > 0) return left;
    return this.probing ? PROBE_PENDING_MS : 0;
  }

  /** Lets a call through (as the probe when half-open) or says how long to stay away. */
  admit(): { probe: boolean } | { blockedForMs: number } {
    const blockedForMs = this.blockedForMs();
    if (blockedForMs > 0) return { blockedForMs };
    if (this.openUntil === 0) return { probe: false };
    this.probing = true;
    return { probe: true };
  }

  /** Every admitted call must settle exactly once. Returns true if this opened the circuit. */
  settle(probe: boolean, health: UpstreamHealth, retryAfterMs = 0): boolean {
    if (probe) this.probing = false;
    if (health === 'up') {
      this.failures = 0;
      this.openUntil = 0;
      return false;
    }
    if (health === 'unknown') return false;
    this.failures++;
    const wasOpen = this.openUntil > Date.now();
    const tripped = probe || this.failures >= this.threshold;
    const openFor = tripped ? Math.max(this.coolDownMs, retryAfterMs) : retryAfterMs;
    if (openFor > 0) this.openUntil = Math.max(this.openUntil, Date.now() + openFor);
    return !wasOpen && openFor > 0;
  }
}
