import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { cacheCommand } from '../core/redis/cache-command';
import { RedisKeys } from '../core/redis/redis-keys';
import { REDIS_CLIENT } from '../core/redis/redis.tokens';
import type { TopRow } from './campaign-totals.repository';

/** Bounds memory: a campaign nobody reads drops out of the cache. */
const ENTRY_TTL_S = 600;

// KEYS: version key. ARGV: entry prefix, limit. One round trip for the version and its entry.
const GET_SCRIPT = `
local v = redis.call('GET', KEYS[1]) or '0'
return {v, redis.call('GET', ARGV[1] .. v .. ':' .. ARGV[2])}`;

export interface CachedTop {
  version: string;
  /** The campaign's first `limit` creators; undefined when not cached. */
  rows: TopRow[] | undefined;
}

/**
 * Cache-aside in front of the top-performers query. Each campaign has a version number;
 * readers fill a miss under the version they saw, and ingest invalidates a campaign by
 * bumping its version after its totals changed. A reader that filled a miss while the
 * totals changed files its entry under the old version, which nobody reads any more, so a
 * completed ingest is visible at once. Redis away: reads go to the database.
 */
@Injectable()
export class RankingCache {
  private readonly logger = new Logger(RankingCache.name);

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly redisKeys: RedisKeys,
  ) {}

  private keys(campaignId: string) {
    return { version: this.redisKeys.key('top', campaignId, 'version'), entryPrefix: this.redisKeys.key('top', campaignId, 'v') };
  }

  /** Keyed by campaign and limit, as the query is. null: the cache cannot be used right now. */
  async get(campaignId: string, limit: number): Promise<CachedTop | null> {
    const k = this.keys(campaignId);
    const got = await cacheCommand(this.redis, this.logger, 'ranking cache read', async () => {
      const [version, raw] = (await this.redis.eval(GET_SCRIPT, 1, k.version, k.entryPrefix, limit)) as [string, string | null];
      return { version, rows: raw === null ? undefined : (JSON.parse(raw) as TopRow[]) };
    });
    return got ?? null;
  }

  fill(version: string, campaignId: string, limit: number, rows: TopRow[]): void {
    const key = `${this.keys(campaignId).entryPrefix}${version}:${limit}`;
    void cacheCommand(this.redis, this.logger, 'ranking cache fill', () => this.redis.set(key, JSON.stringify(rows), 'EX', ENTRY_TTL_S));
  }

  /**
   * After the campaigns' totals changed. Throws when Redis cannot take it: the caller
   * (finalize) must then retry, or readers would keep the old ranking.
   */
  async invalidate(campaignIds: string[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const c of campaignIds) pipeline.incr(this.keys(c).version);
    const res = await pipeline.exec();
    const failed = res?.find(([err]) => err);
    if (!res || failed) throw failed?.[0] ?? new Error('Redis pipeline aborted');
  }
}
