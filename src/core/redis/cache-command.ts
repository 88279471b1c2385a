import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { withTimeout } from '../with-timeout';

/**
 * How long any cache command may take before the caller goes without the cache. A cache
 * that answers later than this has stopped being worth waiting for: the source (the
 * database, the LLM) is what the request is there for.
 */
export const REDIS_CACHE_BUDGET_MS = 100;
const WARN_EVERY_MS = 30_000;
const lastWarned = new Map<string, number>();

/**
 * The one policy for Redis used as a cache (rankings, briefs): resolves undefined, never
 * rejects, when Redis cannot help, so every cache degrades the same way to its source.
 * A client that is not connected fails at once rather than queueing the command until
 * its retries run out; RedisModule logs the lost connection once. A timeout or an error
 * Redis answered is logged, at most every 30 s per `what`, since every request meets it.
 */
export async function cacheCommand<T>(redis: Redis, logger: Logger, what: string, work: () => Promise<T>): Promise<T | undefined> {
  if (redis.status !== 'ready') return undefined;
  try {
    return await withTimeout(work(), REDIS_CACHE_BUDGET_MS, what);
  } catch (err) {
    if (Date.now() - (lastWarned.get(what) ?? 0) > WARN_EVERY_MS) {
      lastWarned.set(what, Date.now());
      logger.warn(`${what} failed, going without the cache: ${(err as Error).message}`);
    }
    return undefined;
  }
}
