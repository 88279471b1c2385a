/** Full-jitter exponential backoff: uniform in [0, min(cap, base * 2^attempt)). */
export function fullJitterDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
