import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '../core/redis/redis.module';
import { withTimeout } from '../core/with-timeout';
import { RankedInfluencer } from './schemas/campaign-ranking.schema';

const VERSION_KEY = 'influencer:rankings:version';
const ENTRY_PREFIX = 'influencer:rankings:';
/** Bounds staleness in the one case versioning cannot see: Redis restored from an old snapshot. */
const ENTRY_TTL_S = 300;
const READ_BUDGET_MS = 100;

// KEYS: version key. ARGV: entry prefix, campaign id. One round trip for version and entry.
const GET_SCRIPT = `
local v = redis.call('GET', KEYS[1]) or '0'
return {v, redis.call('GET', ARGV[1] .. v .. ':' .. ARGV[2])}`;

export interface CachedRanking {
  version: string;
  /** undefined: not cached; null: cached as "no such campaign". */
  top: RankedInfluencer[] | null | undefined;
}

/**
 * Redis copy of the ranking documents, because FerretDB 1.x answers even a find by _id
 * with a scan of the collection (38 ms at 1,000 campaigns, 11 req/s under load).
 * Entries are keyed by a global version that CampaignRankingWriter bumps after every
 * write, so a reader never sees a ranking older than the last completed ingest; a reader
 * that raced a write files its entry under the old version, which nobody reads any more.
 * Redis away: reads go to the database (the cache is an optimisation, not a dependency).
 */
@Injectable()
export class RankingCache {
  private readonly logger = new Logger(RankingCache.name);

  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  async get(campaignId: string): Promise<CachedRanking | null> {
    if (this.redis.status !== 'ready') return null;
    try {
      const [version, raw] = (await withTimeout(
        this.redis.eval(GET_SCRIPT, 1, VERSION_KEY, ENTRY_PREFIX, campaignId) as Promise<[string, string | null]>,
        READ_BUDGET_MS,
        'ranking cache read',
      )) as [string, string | null];
      return { version, top: raw === null ? undefined : raw === '' ? null : (JSON.parse(raw) as RankedInfluencer[]) };
    } catch (err) {
      this.logger.warn(`ranking cache unavailable, reading the database: ${(err as Error).message}`);
      return null;
    }
  }

  set(version: string, campaignId: string, top: RankedInfluencer[] | null): void {
    this.redis
      .set(`${ENTRY_PREFIX}${version}:${campaignId}`, top === null ? '' : JSON.stringify(top), 'EX', ENTRY_TTL_S)
      .catch(() => undefined);
  }

  /** After every ranking write. Throws when Redis cannot take it: the writer must retry, or entries would go stale. */
  async invalidate(): Promise<void> {
    await this.redis.incr(VERSION_KEY);
  }
}
