import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { validateEnvironment } from '../../src/core/config/app-config';
import { REDIS_CACHE_BUDGET_MS } from '../../src/core/redis/cache-command';
import { RedisCacheStore } from '../../src/core/redis/redis-cache-store';
import { RedisKeys } from '../../src/core/redis/redis-keys';

describe('RedisCacheStore (real Redis)', () => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'rk'}_store_${randomBytes(3).toString('hex')}`;
  const keys = new RedisKeys(validateEnvironment({ QUEUE_PREFIX: prefix }));
  const redis = new Redis(process.env.REDIS_URL!);
  const store = new RedisCacheStore(redis, keys);
  beforeAll(async () => {
    Logger.overrideLogger(false);
    if (redis.status !== 'ready') await new Promise((r) => redis.once('ready', r));
  });
  afterAll(() => redis.disconnect());

  it('round-trips a JSON value under the prefix, expiring it by the given TTL', async () => {
    await store.set('brief:k1', { caption: 'hi', tags: ['#ad'] }, 60_000);
    await expect(store.get('brief:k1')).resolves.toEqual({ caption: 'hi', tags: ['#ad'] });
    const ttl = await redis.pttl(`${prefix}:brief:k1`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await expect(store.get('brief:absent')).resolves.toBeUndefined();
  });

  it('treats a value that is not JSON as a miss', async () => {
    await redis.set(`${prefix}:brief:garbled`, '{not json', 'EX', 60);
    await expect(store.get('brief:garbled')).resolves.toBeUndefined();
  });

  it('answers a miss at once, and stores nothing, when Redis is unreachable', async () => {
    const away = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 2, retryStrategy: () => 1000 });
    away.on('error', () => undefined);
    try {
      const down = new RedisCacheStore(away, keys);
      // Still connecting, the client gets the budget, no more.
      const connecting = Date.now();
      await expect(down.get('brief:k0')).resolves.toBeUndefined();
      expect(Date.now() - connecting).toBeLessThan(REDIS_CACHE_BUDGET_MS * 2);
      // Once the connection is known lost, a miss at once.
      while (away.status !== 'reconnecting') await new Promise((r) => setTimeout(r, 5));
      const started = Date.now();
      await expect(down.get('brief:k1')).resolves.toBeUndefined();
      await expect(down.set('brief:k2', { x: 1 }, 60_000)).resolves.toBeUndefined();
      expect(Date.now() - started).toBeLessThan(REDIS_CACHE_BUDGET_MS);
      expect(await redis.exists(`${prefix}:brief:k2`)).toBe(0);
    } finally {
      away.disconnect();
    }
  });
});
