import { CACHE_MANAGER, CacheModule } from '@nestjs/cache-manager';
import { Logger } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import type { Cache } from 'cache-manager';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { BRIEF_CACHE_NAMESPACE, briefCacheOptions } from '../../src/brief/brief.module';
import { validateEnvironment } from '../../src/core/config/app-config';
import { REDIS_CACHE_BUDGET_MS } from '../../src/core/redis/cache-command';
import { RedisKeys } from '../../src/core/redis/redis-keys';
import { RedisKeyvStore } from '../../src/core/redis/redis-keyv-store';
import { silentRedis } from '../support/silent-redis';

/** The briefs' cache manager exactly as BriefModule registers it, on `client`. */
async function cacheOn(client: Redis, keys: RedisKeys, ttlS = '60'): Promise<{ cache: Cache; module: TestingModule }> {
  const config = validateEnvironment({ QUEUE_PREFIX: keys.prefix, BRIEF_CACHE_TTL_S: ttlS });
  const module = await Test.createTestingModule({ imports: [CacheModule.register(briefCacheOptions(client, keys, config))] }).compile();
  return { cache: module.get<Cache>(CACHE_MANAGER), module };
}

describe('RedisKeyvStore under @nestjs/cache-manager (real Redis)', () => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'rk'}_store_${randomBytes(3).toString('hex')}`;
  const keys = new RedisKeys(validateEnvironment({ QUEUE_PREFIX: prefix }));
  const space = `${prefix}:${BRIEF_CACHE_NAMESPACE}`;
  const redis = new Redis(process.env.REDIS_URL!);
  let cache: Cache;
  let module: TestingModule;
  beforeAll(async () => {
    Logger.overrideLogger(false);
    if (redis.status !== 'ready') await new Promise((r) => redis.once('ready', r));
    ({ cache, module } = await cacheOn(redis, keys));
  });
  afterAll(async () => {
    await module?.close();
    redis.disconnect();
  });

  it('round-trips a JSON value under <prefix>:brief:v2:, expiring it by the given TTL', async () => {
    await cache.set('k1', { caption: 'hi', tags: ['#ad'] }, 30_000);
    await expect(cache.get('k1')).resolves.toEqual({ caption: 'hi', tags: ['#ad'] });
    const ttl = await redis.pttl(`${space}:k1`);
    expect(ttl).toBeGreaterThan(20_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    await expect(cache.get('absent')).resolves.toBeUndefined();
  });

  it('expires an entry by BRIEF_CACHE_TTL_S when the caller gives no TTL', async () => {
    await cache.set('k-default', { x: 1 });
    const ttl = await redis.pttl(`${space}:k-default`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('sends only GET and SET on keys under the prefix: no key set, nothing outside QUEUE_PREFIX', async () => {
    const sent: Array<{ name: string; args: unknown[] }> = [];
    const send = redis.sendCommand.bind(redis);
    const spy = jest.spyOn(redis, 'sendCommand').mockImplementation((command, stream) => {
      sent.push({ name: command.name, args: command.args });
      return send(command, stream);
    });
    try {
      await cache.set('k-spied', { x: 2 }, 30_000);
      await cache.get('k-spied');
    } finally {
      spy.mockRestore();
    }
    expect(sent.map((c) => c.name)).toEqual(['set', 'get']);
    for (const c of sent) expect(String(c.args[0])).toBe(`${space}:k-spied`);
  });

  it('treats a value that is not what it wrote as a miss', async () => {
    await redis.set(`${space}:garbled`, '{not json', 'EX', 60);
    await expect(cache.get('garbled')).resolves.toBeUndefined();
    // A bare brief, as the previous release's store wrote them (under brief:, not brief:v2:).
    await redis.set(`${space}:bare`, JSON.stringify({ caption: 'old format' }), 'EX', 60);
    await expect(cache.get('bare')).resolves.toBeUndefined();
  });

  it('clears its own entries and nothing else under the prefix', async () => {
    await cache.set('c1', { x: 1 }, 30_000);
    await redis.set(`${prefix}:top:campaign`, 'other', 'EX', 60);
    await cache.clear();
    expect(await redis.exists(`${space}:c1`)).toBe(0);
    expect(await redis.get(`${prefix}:top:campaign`)).toBe('other');
  });

  it("leaves the app's connection open when the cache module is destroyed (RedisModule closes it last)", async () => {
    const own = new Redis(process.env.REDIS_URL!);
    try {
      const other = await cacheOn(own, keys);
      await other.module.close();
      await expect(own.ping()).resolves.toBe('PONG');
      expect(own.status).toBe('ready');
    } finally {
      own.disconnect();
    }
  });

  it('answers a miss at once, and stores nothing, when Redis is unreachable', async () => {
    const away = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 2, retryStrategy: () => 1000 });
    away.on('error', () => undefined);
    const down = await cacheOn(away, keys);
    try {
      // Still connecting, the client gets the budget, no more.
      const connecting = Date.now();
      await expect(down.cache.get('k0')).resolves.toBeUndefined();
      expect(Date.now() - connecting).toBeLessThan(REDIS_CACHE_BUDGET_MS * 2);
      // Once the connection is known lost, a miss at once.
      while (away.status !== 'reconnecting') await new Promise((r) => setTimeout(r, 5));
      const started = Date.now();
      await expect(down.cache.get('k1')).resolves.toBeUndefined();
      await expect(down.cache.set('k2', { x: 1 }, 60_000)).resolves.toEqual({ x: 1 });
      expect(Date.now() - started).toBeLessThan(REDIS_CACHE_BUDGET_MS);
      expect(await redis.exists(`${space}:k2`)).toBe(0);
    } finally {
      await down.module.close();
      away.disconnect();
    }
  });

  it('gives up after the budget when Redis is connected but does not answer', async () => {
    const silent = await silentRedis();
    const hung = new Redis(silent.url, { maxRetriesPerRequest: 2 });
    hung.on('error', () => undefined);
    const slow = await cacheOn(hung, keys);
    try {
      while (hung.status !== 'ready') await new Promise((r) => setTimeout(r, 5));
      // Without the budget these never settle (the test would time out).
      await expect(slow.cache.get('k1')).resolves.toBeUndefined();
      await expect(slow.cache.set('k1', { x: 1 }, 60_000)).resolves.toEqual({ x: 1 });
    } finally {
      await slow.module.close();
      hung.disconnect();
      await silent.close();
    }
  });

  it('refuses to clear without a namespace: the prefix also holds the queue', async () => {
    await expect(new RedisKeyvStore(redis, keys).clear()).rejects.toThrow(/namespace/);
  });
});
