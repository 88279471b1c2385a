import { CacheModule, CacheOptions } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { AnalyticsModule } from '../analytics/analytics.module';
import { AppConfig } from '../core/config/app-config';
import { RedisKeys } from '../core/redis/redis-keys';
import { RedisKeyvStore } from '../core/redis/redis-keyv-store';
import { REDIS_CLIENT } from '../core/redis/redis.tokens';
import { BriefController } from './brief.controller';
import { BriefService } from './brief.service';
import { BriefCacheInterceptor } from './interceptors/brief-cache.interceptor';
import { BriefRetryInterceptor } from './interceptors/brief-retry.interceptor';
import { LlmGate } from './llm/llm-gate';
import { LlmClient } from './llm/llm.client';
import { OfflineBriefComposer } from './llm/offline-brief.composer';
import { AnalyticsCampaignInsights } from './tools/campaign-insights';
import { JsonCreativeAngle, JsonPersonaClassifier, JsonTrendFetcher } from './tools/static-tools';
import { CAMPAIGN_INSIGHTS, CREATIVE_ANGLE, PERSONA_CLASSIFIER, TREND_FETCHER } from './tools/tool-types';

/**
 * Keyv's key prefix for the briefs: entries live under `<QUEUE_PREFIX>:brief:v2:`, and clear()
 * stays there. v2 because an entry is now Keyv's envelope (`{"value":…,"expires":…}`): a
 * process of the previous release, which read bare briefs under `brief:`, never sees one.
 */
export const BRIEF_CACHE_NAMESPACE = 'brief:v2';

/** The briefs' cache manager (CACHE_MANAGER), the app's only one: Redis, on the app's connection and prefix. */
export function briefCacheOptions(redis: Redis, keys: RedisKeys, config: AppConfig): CacheOptions {
  return {
    stores: [new RedisKeyvStore(redis, keys)],
    namespace: BRIEF_CACHE_NAMESPACE,
    ttl: config.BRIEF_CACHE_TTL_S * 1000,
  };
}

const BriefCache = CacheModule.registerAsync({ inject: [REDIS_CLIENT, RedisKeys, AppConfig], useFactory: briefCacheOptions });

@Module({
  // AnalyticsModule: the campaign insights tool reads reports through its exported query.
  imports: [BriefCache, AnalyticsModule],
  controllers: [BriefController],
  providers: [
    BriefService,
    LlmClient,
    LlmGate,
    OfflineBriefComposer,
    BriefCacheInterceptor,
    BriefRetryInterceptor,
    { provide: TREND_FETCHER, useClass: JsonTrendFetcher },
    { provide: PERSONA_CLASSIFIER, useClass: JsonPersonaClassifier },
    { provide: CREATIVE_ANGLE, useClass: JsonCreativeAngle },
    { provide: CAMPAIGN_INSIGHTS, useClass: AnalyticsCampaignInsights },
  ],
})
export class BriefModule {}
