import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { CacheStore } from './cache-store';
import { cacheCommand } from './cache-command';
import { RedisKeys } from './redis-keys';
import { REDIS_CLIENT } from './redis.tokens';

/**
 * A CacheStore on the app's own Redis connection and key prefix: JSON values under
 * `<prefix>:<key>`, expired by Redis itself (PX), under the shared cache policy.
 */
@Injectable()
export class RedisCacheStore implements CacheStore {
  private readonly logger = new Logger(RedisCacheStore.name);

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  get(key: string): Promise<unknown> {
    // A value that does not parse (written by hand, say) is a miss; the next fill replaces it.
    return cacheCommand(this.redis, this.logger, 'cache read', async () => {
      const raw = await this.redis.get(this.keys.key(key));
      return raw === null ? undefined : (JSON.parse(raw) as unknown);
    });
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    await cacheCommand(this.redis, this.logger, 'cache write', () =>
      this.redis.set(this.keys.key(key), JSON.stringify(value), 'PX', ttlMs),
    );
  }
}
