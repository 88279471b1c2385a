import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { cacheCommand } from '../core/redis/cache-command';
import { RedisKeys } from '../core/redis/redis-keys';
import { REDIS_CLIENT } from '../core/redis/redis.tokens';
import { LocalRankings } from './local-rankings';

/** Bounds memory: a campaign nobody reads drops out of the cache. */
const ENTRY_TTL_S = 600;
/** Per API process: about 2 KB a campaign at limit 10, so a few MB at most. */
const LOCAL_MAX_CAMPAIGNS = 2_000;
/** The staleness bound should an invalidation message ever be lost (it is not retried). */
const LOCAL_MAX_AGE_MS = 60_000;

// KEYS: version key. ARGV: entry prefix, query. One round trip for the version and its entry.
const GET_SCRIPT = `
local v = redis.call('GET', KEYS[1]) or '0'
return {v, redis.call('GET', ARGV[1] .. v .. ':' .. ARGV[2])}`;

export interface CachedTop<T> {
  version: string;
  /** The answer to the query (a ranking, a report); undefined when not cached. */
  rows: T | undefined;
  /** Taken before the read: a fill under it is refused locally if an invalidation came since. */
  ticket: number;
}

/**
 * Cache-aside in front of the top-performers query, in two tiers. In Redis, each campaign
 * has a version number; readers fill a miss under the version they saw, and ingest
 * invalidates a campaign by bumping its version after its totals changed. A reader that
 * filled a miss while the totals changed files its entry under the old version, which
 * nobody reads any more. In front of it, each API process keeps what it answered in
 * memory (LocalRankings), dropped by the same invalidation published on a Redis channel:
 * a completed ingest is visible on every process as soon as the message is delivered
 * (milliseconds), and while a process is not subscribed it reads through to Redis.
 * Redis away: reads go to the database.
 */
@Injectable()
export class RankingCache implements OnModuleDestroy {
  private readonly logger = new Logger(RankingCache.name);
  private readonly local = new LocalRankings(LOCAL_MAX_CAMPAIGNS, LOCAL_MAX_AGE_MS);
  private readonly channel: string;
  /** Opened by the first read: worker-only processes never read, so never subscribe. */
  private subscriber: Redis | undefined;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly redisKeys: RedisKeys,
  ) {
    this.channel = redisKeys.key('top', 'invalidated');
  }

  private keys(campaignId: string) {
    return { version: this.redisKeys.key('top', campaignId, 'version'), entryPrefix: this.redisKeys.key('top', campaignId, 'v') };
  }

  /**
   * Keyed by campaign and query: the limit of the default ranking, or a string naming a
   * slice's parameters (anything the answer depends on). All of a campaign's entries go
   * with its version. null: the cache cannot be used right now.
   */
  async get<T>(campaignId: string, query: string | number): Promise<CachedTop<T> | null> {
    this.subscribe();
    const ticket = this.local.ticket();
    const near = this.local.get(campaignId, query) as T | undefined;
    if (near) return { version: '', rows: near, ticket };
    const k = this.keys(campaignId);
    const got = await cacheCommand(this.redis, this.logger, 'ranking cache read', async () => {
      const [version, raw] = (await this.redis.eval(GET_SCRIPT, 1, k.version, k.entryPrefix, String(query))) as [string, string | null];
      return { version, rows: raw === null ? undefined : (JSON.parse(raw) as T), ticket };
    });
    if (got?.rows) this.local.fill(ticket, campaignId, query, got.rows);
    return got ?? null;
  }

  /**
   * The campaign's data version: bumped by every invalidate(), so it names the state of the
   * campaign's totals (other caches key derived answers on it, e.g. the briefs). '0' before
   * the first bump; null when Redis cannot answer (then nothing keyed on it should be cached).
   */
  async version(campaignId: string): Promise<string | null> {
    const got = await cacheCommand(this.redis, this.logger, 'ranking cache version', () => this.redis.get(this.keys(campaignId).version));
    return got === undefined ? null : (got ?? '0');
  }

  fill<T>(cached: CachedTop<T>, campaignId: string, query: string | number, rows: T): void {
    this.local.fill(cached.ticket, campaignId, query, rows);
    const key = `${this.keys(campaignId).entryPrefix}${cached.version}:${query}`;
    void cacheCommand(this.redis, this.logger, 'ranking cache fill', () => this.redis.set(key, JSON.stringify(rows), 'EX', ENTRY_TTL_S));
  }

  /**
   * After the campaigns' totals changed. Throws when Redis cannot take it: the caller
   * (finalize) must then retry, or readers would keep the old ranking.
   */
  async invalidate(campaignIds: string[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const c of campaignIds) pipeline.incr(this.keys(c).version);
    pipeline.publish(this.channel, JSON.stringify(campaignIds));
    let res: Awaited<ReturnType<typeof pipeline.exec>>;
    try {
      res = await pipeline.exec();
    } finally {
      // This process drops its own copies at once, not when its message comes back, and
      // also when Redis failed part way (the version may be bumped with nobody told).
      this.local.invalidate(campaignIds);
    }
    const failed = res?.find(([err]) => err);
    if (!res || failed) throw failed?.[0] ?? new Error('Redis pipeline aborted');
  }

  private subscribe(): void {
    if (this.subscriber) return;
    // A connection in subscriber mode can do nothing else, hence one of its own. Its
    // resubscription is ours: the local tier resumes only once the channel is heard again.
    const sub = this.redis.duplicate({
      autoResubscribe: false,
      lazyConnect: false,
      enableAutoPipelining: false,
      connectionName: 'ranking-invalidations',
    });
    this.subscriber = sub;
    sub.on('ready', () => {
      sub.subscribe(this.channel).then(
        () => this.local.resume(),
        () => this.local.pause(),
      );
    });
    sub.on('close', () => this.local.pause());
    // The app's own client reports Redis being away; this one stays quiet about it.
    sub.on('error', () => undefined);
    sub.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.local.invalidate(JSON.parse(message) as string[]);
    });
  }

  onModuleDestroy(): void {
    this.subscriber?.disconnect();
  }
}
