/**
 * True for the errors ioredis raises when Redis cannot be reached (connection refused or
 * closed, retries per request exhausted, offline queue off), as opposed to errors Redis
 * itself answered (a wrong type, a script error, out of memory), which are faults.
 */
export function isRedisUnavailable(err: unknown): boolean {
  const e = err as { name?: string; message?: string; code?: string } | null;
  if (!e) return false;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  if (e.code !== undefined && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(e.code))
    return true;
  return /Connection is closed|Stream isn't writeable|connect ETIMEDOUT|ECONNREFUSED/.test(e.message ?? '');
}
