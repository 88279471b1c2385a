/**
 * Bull backoff strategies registered on every queue (QueueModule). Bull's own exponential
 * backoff has no ceiling: over a long outage the waits grow to many minutes, so a job would
 * sit idle long after its dependency is back.
 */
export const CAPPED_EXPONENTIAL = 'capped-exponential';

export interface CappedBackoff {
  /** The first wait, ms; each next one doubles... */
  delay: number;
  /** ...up to this, ms. */
  max: number;
}

export const backoffStrategies = {
  [CAPPED_EXPONENTIAL]: (attemptsMade: number, _err: unknown, { delay, max }: CappedBackoff) =>
    Math.min(max, delay * 2 ** Math.max(0, attemptsMade - 1)),
};

/** Attempts whose waits, with this backoff, add up to at least `windowMs`. */
export function attemptsToCover(windowMs: number, { delay, max }: CappedBackoff): number {
  let waited = 0;
  let attempts = 1;
  while (waited < windowMs) waited += backoffStrategies[CAPPED_EXPONENTIAL](attempts++, undefined, { delay, max });
  return attempts;
}
