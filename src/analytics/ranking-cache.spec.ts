import type { TestingModule } from '@nestjs/testing';
import Redis from 'ioredis';
import { redisRepositoryModule } from '../../test/support/repository-module';
import { RedisKeys } from '../core/redis/redis-keys';
import { REDIS_CLIENT } from '../core/redis/redis.tokens';
import type { TopRow } from './campaign-totals.repository';
import { CachedTop, RankingCache } from './ranking-cache';

const rows = (...ids: string[]): TopRow[] =>
  ids.map((influencerId, i) => ({ influencerId, engagementRate: 1 / (i + 1), likes: 1, comments: 0, shares: 0, views: i + 1, posts: 1 }));

/** Polls `read` until `done` holds: a fill is written in the background, an invalidation is heard by message. */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting until ${what}`);
}

/**
 * The ranking cache as two API processes share it: each its own client and memory tier,
 * one Redis (the real one, this file's key prefix).
 */
describe('RankingCache (real Redis)', () => {
  let modules: TestingModule[];
  let a: RankingCache;
  let b: RankingCache;
  let redis: Redis;
  let prefix: string;
  let n = 0;
  let campaign: string;

  beforeAll(async () => {
    modules = await Promise.all([redisRepositoryModule([RankingCache]), redisRepositoryModule([RankingCache])]);
    [a, b] = modules.map((m) => m.get(RankingCache));
    redis = modules[0].get(REDIS_CLIENT);
    prefix = modules[0].get(RedisKeys).prefix;
  });
  afterAll(() => Promise.all(modules.map((m) => m.close())));
  beforeEach(() => (campaign = `c${++n}`));

  /** A read the cache could answer (null is Redis not answering within its budget). */
  const read = (cache: RankingCache, limit = 10) =>
    until(
      () => cache.get(campaign, limit),
      (v) => v !== null,
      'Redis answers',
    ) as Promise<CachedTop<TopRow[]>>;
  /** What process `cache` reads once the other's fill has reached Redis. */
  const readFilled = (cache: RankingCache, limit = 10) =>
    until(
      () => cache.get(campaign, limit),
      (v) => v?.rows !== undefined,
      'the fill reached Redis',
    ) as Promise<CachedTop<TopRow[]>>;

  /**
   * Fills `cache` and removes the Redis entry until `cache` still answers: once subscribed,
   * it answers from memory, its copy outliving the Redis entry.
   */
  const keepInMemory = (cache: RankingCache) => {
    const entry = `${prefix}:top:${campaign}:v0:10`;
    return until(
      async () => {
        const got = await read(cache);
        if (got.rows === undefined) cache.fill(got, campaign, 10, rows('cached'));
        await redis.del(entry);
        const again = await read(cache);
        return again.rows !== undefined && (await redis.exists(entry)) === 0;
      },
      (fromMemory) => fromMemory,
      'the ranking is kept in memory',
    );
  };

  it('misses a campaign nobody filled, under version 0', async () => {
    expect(await read(a)).toMatchObject({ version: '0', rows: undefined });
  });

  it('serves what one process filled to another, per limit', async () => {
    const miss = await read(a);
    a.fill(miss, campaign, 10, rows('x', 'y'));
    expect((await readFilled(b)).rows).toEqual(rows('x', 'y'));
    expect((await read(b, 3)).rows).toBeUndefined();
  });

  it('after an invalidation, serves nothing filled before it, even a fill that lands after it', async () => {
    const before = await read(a);
    const slowReader = await read(a, 5); // read the totals before they changed, fills after
    a.fill(before, campaign, 10, rows('old'));
    await readFilled(b);
    await a.invalidate([campaign]);
    a.fill(slowReader, campaign, 5, rows('old'));
    const after = await read(a);
    expect(after).toMatchObject({ version: '1', rows: undefined });
    expect((await read(a, 5)).rows).toBeUndefined();
    // The next fill, under the new version, is what every process reads.
    a.fill(after, campaign, 10, rows('new'));
    const seen = await until(
      () => read(b),
      (v) => v.rows?.[0]?.influencerId === 'new',
      'b reads the new ranking',
    );
    expect(seen.rows).toEqual(rows('new'));
  });

  it("drops another process's copy in memory when a campaign is invalidated anywhere", async () => {
    await keepInMemory(b);
    await a.invalidate([campaign]);
    await until(
      async () => (await read(b)).rows,
      (r) => r === undefined,
      'b heard the invalidation',
    );
  });

  it('drops its own copy in memory even when Redis cannot take the invalidation, and says so', async () => {
    await keepInMemory(b);
    expect((await read(b)).version).toBe('');
    // The connection dropping under the pipeline: exec itself rejects.
    const client = modules[1].get<Redis>(REDIS_CLIENT);
    const pipeline = jest.spyOn(client, 'pipeline').mockImplementationOnce(() => {
      const p = Redis.prototype.pipeline.call(client);
      jest.spyOn(p, 'exec').mockRejectedValueOnce(new Error('Connection is closed.'));
      return p;
    });
    await expect(b.invalidate([campaign])).rejects.toThrow('Connection is closed.');
    pipeline.mockRestore();
    expect((await read(b)).version).not.toBe('');
  });

  it('names the data version every process sees: 0 at first, bumped by each invalidation', async () => {
    const version = (cache: RankingCache) =>
      until(
        () => cache.version(campaign),
        (v) => v !== null,
        'Redis answers',
      );
    expect(await version(a)).toBe('0');
    await a.invalidate([campaign]);
    expect(await version(b)).toBe('1');
    await b.invalidate([campaign, 'another']);
    expect(await version(a)).toBe('2');
  });

  it('keeps its keys under the prefix, entries expiring on their own', async () => {
    const miss = await read(a);
    a.fill(miss, campaign, 10, rows('x'));
    await readFilled(b);
    await a.invalidate([campaign]);
    const keys = (await redis.keys(`${prefix}:top:${campaign}:*`)).sort();
    expect(keys).toEqual([`${prefix}:top:${campaign}:v0:10`, `${prefix}:top:${campaign}:version`]);
    expect(await redis.ttl(`${prefix}:top:${campaign}:v0:10`)).toBeGreaterThan(0);
  });
});
