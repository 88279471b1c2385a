import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '../core/redis/redis.module';
import { withTimeout } from '../core/with-timeout';

const PREFIX = 'influencer:rankings:';
/**
 * Bounds the one staleness versioning cannot prevent: rankings written to the database
 * while Redis refused the write-through and stayed away past finalize's retries (or Redis
 * restored from an old snapshot). The cost: a campaign unread for an hour is read once
 * from the database again.
 */
const ENTRY_TTL_S = 3600;
const READ_BUDGET_MS = 100;

// KEYS: version key of the campaign. ARGV: entry prefix. One round trip for version and entry.
const GET_SCRIPT = `
local v = redis.call('GET', KEYS[1]) or '0'
return {v, redis.call('GET', ARGV[1] .. v)}`;

// KEYS: version key. ARGV: entry prefix, value, ttl. A write bumps the version and files the
// new ranking under it in one step, so readers switch from the old entry to the new at once.
const PUT_SCRIPT = `
local v = redis.call('INCR', KEYS[1])
redis.call('SET', ARGV[1] .. v, ARGV[2], 'EX', ARGV[3])
return v`;

export interface CachedRanking {
  version: string;
  /** The encoded ranking (ranking-codec); undefined: not cached; null: cached as "no such campaign". */
  top: string | null | undefined;
}

/**
 * Redis copy of the ranking documents, because FerretDB 1.x answers even a find by _id
 * with a scan of the collection (38 ms at 1,000 campaigns, 11 req/s under load).
 * Each campaign has a version; CampaignRankingWriter bumps it and stores the new ranking
 * under it whenever it writes one (write-through), so a reader never sees a ranking older
 * than the last completed ingest. A reader that filled a miss while a write happened files
 * its entry under the old version, which nobody reads any more.
 * Redis away: reads go to the database (the cache is an optimisation, not a dependency).
 */
@Injectable()
export class RankingCache {
  private readonly logger = new Logger(RankingCache.name);

  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  private keys(campaignId: string) {
    return { version: `${PREFIX}${campaignId}:version`, entryPrefix: `${PREFIX}${campaignId}:v` };
  }

  async get(campaignId: string): Promise<CachedRanking | null> {
    if (this.redis.status !== 'ready') return null;
    const k = this.keys(campaignId);
    try {
      const [version, raw] = (await withTimeout(
        this.redis.eval(GET_SCRIPT, 1, k.version, k.entryPrefix) as Promise<[string, string | null]>,
        READ_BUDGET_MS,
        'ranking cache read',
      )) as [string, string | null];
      return { version, top: raw === null ? undefined : raw === '' ? null : raw };
    } catch (err) {
      this.logger.warn(`ranking cache unavailable, reading the database: ${(err as Error).message}`);
      return null;
    }
  }

  /** Fills a miss, under the version the reader saw. */
  fill(version: string, campaignId: string, top: string | null): void {
    this.redis
      .set(`${this.keys(campaignId).entryPrefix}${version}`, top ?? '', 'EX', ENTRY_TTL_S)
      .catch(() => undefined);
  }

  /**
   * After rankings were written to the database. Throws when Redis cannot take it: the
   * caller (finalize) must then retry, or readers would keep the old ranking.
   */
  async put(rankings: Array<{ campaignId: string; top: string }>): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const r of rankings) {
      const k = this.keys(r.campaignId);
      pipeline.eval(PUT_SCRIPT, 1, k.version, k.entryPrefix, r.top, ENTRY_TTL_S);
    }
    const res = await pipeline.exec();
    const failed = res?.find(([err]) => err);
    if (!res || failed) throw failed?.[0] ?? new Error('Redis pipeline aborted');
  }
}
