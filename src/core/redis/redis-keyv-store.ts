import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import { cacheCommand } from './cache-command';
import { RedisKeys } from './redis-keys';

/**
 * A Keyv store on the app's own ioredis connection, for `@nestjs/cache-manager`: Keyv's
 * serialised entry as a string under `<QUEUE_PREFIX>:<namespace>:<key>`, expired by Redis
 * itself (PX), every command under the shared cache policy (`cacheCommand`: 100 ms, then
 * answered as a miss or a write that did not happen, never an error).
 *
 * Home-made because no published Keyv store fits (README, design choices): `@keyv/redis`
 * runs only on node-redis, a second connection; `@keyv/valkey` accepts an ioredis client but
 * adds every key to a set that never expires (or, without the set, keeps its keys outside
 * the prefix) and closes the client on disconnect.
 */
export class RedisKeyvStore implements KeyvStoreAdapter {
  /** Keyv sets this to its own namespace (the cache's name); `clear` is confined to it. */
  namespace?: string;
  readonly opts: Record<string, unknown> = { dialect: 'redis' };
  private readonly logger = new Logger(RedisKeyvStore.name);

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return cacheCommand(this.redis, this.logger, 'cache read', async () => {
      const raw = await this.redis.get(this.keys.key(key));
      // Keyv deserialises the string; one that does not parse is a miss for the cache manager.
      return (raw ?? undefined) as StoredData<Value> | undefined;
    });
  }

  async set(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const redisKey = this.keys.key(key);
    const done = await cacheCommand(this.redis, this.logger, 'cache write', () =>
      ttlMs === undefined ? this.redis.set(redisKey, value) : this.redis.set(redisKey, value, 'PX', ttlMs),
    );
    return done === 'OK';
  }

  async delete(key: string): Promise<boolean> {
    const removed = await cacheCommand(this.redis, this.logger, 'cache delete', () => this.redis.unlink(this.keys.key(key)));
    return (removed ?? 0) > 0;
  }

  /**
   * Removes this cache's entries, and only them: the prefix also holds the queue, upload
   * progress and the ranking cache, so a store without a namespace refuses.
   */
  async clear(): Promise<void> {
    if (!this.namespace) throw new Error('RedisKeyvStore.clear needs a namespace: the key prefix is shared with the queue');
    const match = `${this.keys.key(this.namespace)}:*`;
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(cursor, 'MATCH', match, 'COUNT', 500);
      if (found.length > 0) await this.redis.unlink(...found);
      cursor = next;
    } while (cursor !== '0');
  }

  /**
   * Deliberately keeps the connection open: the cache manager disconnects its stores when
   * its module is destroyed, and this client is the app's one connection, which RedisModule
   * closes last, after everything that still uses it.
   */
  async disconnect(): Promise<void> {}

  /** Keyv listens for store errors; this store has none to report (cacheCommand logs them). */
  on(): this {
    return this;
  }
}
