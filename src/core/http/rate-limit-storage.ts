import { Logger } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { cacheCommand } from '../redis/cache-command';
import { RedisKeys } from '../redis/redis-keys';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const INCREMENT_COMMAND = 'rateLimitIncrement';

/**
 * Workaround, to delete once the library runs its script by SHA itself (nest-lab issue
 * #52): it EVALs its whole Lua script, ~700 bytes, on every request, which cost ~8 % of
 * the API's CPU at 1,800 req/s (bench:api profile). Its one Redis call is routed to the
 * same script registered as an ioredis command, which sends EVALSHA and falls back to EVAL
 * once when the server does not hold the script (after a restart, say).
 */
function viaScriptCache(redis: Redis, script: string): Redis {
  if (!(INCREMENT_COMMAND in redis)) redis.defineCommand(INCREMENT_COMMAND, { numberOfKeys: 2, lua: script });
  const increment = (redis as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[INCREMENT_COMMAND].bind(redis);
  // The library calls call('eval', script, 2, hitKey, blockKey, ...arguments).
  return { call: (_eval: string, _script: string, _keys: number, ...args: unknown[]) => increment(...args) } as unknown as Redis;
}

/**
 * Rate-limit counters in Redis, so that a limit holds across every API process behind the
 * load balancer rather than once per process, on the app's key prefix (one fixed-window
 * counter per client, route and limit: O(1) per request, whatever the limit). While Redis
 * cannot answer within the cache budget, each process counts on its own until it is back:
 * the limit loosens by the number of processes, requests are never refused for it.
 */
export class RateLimitStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RateLimitStorage.name);
  private readonly shared: ThrottlerStorageRedisService;
  private readonly local = new ThrottlerStorageService();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.shared = new ThrottlerStorageRedisService(redis);
    this.shared.redis = viaScriptCache(redis, this.shared.scriptSrc);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, name: string): Promise<ThrottlerStorageRecord> {
    const counted = await cacheCommand(this.redis, this.logger, 'rate-limit count', () =>
      this.shared.increment(this.keys.key('ratelimit', key), ttl, limit, blockDuration, name),
    );
    return counted ?? this.local.increment(key, ttl, limit, blockDuration, name);
  }
}
