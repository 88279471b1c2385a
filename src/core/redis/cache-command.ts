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

/** Client states in which the connection is known lost: waiting would only spend the budget. */
const LOST = new Set<Redis['status']>(['reconnecting', 'close', 'end']);

/**
 * The one policy for Redis used as best-effort state (the ranking and brief caches, the
 * rate-limit counters): resolves undefined, never rejects, when Redis cannot help, so each
 * degrades the same way to its fallback. A client whose connection is lost fails at once
 * rather than queueing the command until its retries run out (RedisModule logs the loss
 * once); one still connecting, as at start-up, gets the budget. A timeout or an error
 * Redis answered is logged, at most every 30 s per `what`, since every request meets it.
 */
export async function cacheCommand<T>(redis: Redis, logger: Logger, what: string, work: () => Promise<T>): Promise<T | undefined> {
  if (LOST.has(redis.status)) return undefined;
  try {
    return await withTimeout(work(), REDIS_CACHE_BUDGET_MS, what);
  } catch (err) {
    if (Date.now() - (lastWarned.get(what) ?? 0) > WARN_EVERY_MS) {
      lastWarned.set(what, Date.now());
      logger.warn(`${what} failed, going without Redis: ${(err as Error).message}`);
    }
    return undefined;
  }
}
