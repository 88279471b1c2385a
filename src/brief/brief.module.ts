import { Module } from '@nestjs/common';
import { BriefController } from './brief.controller';
import { BriefService } from './brief.service';
import { BriefCacheInterceptor } from './interceptors/brief-cache.interceptor';
import { BriefRetryInterceptor } from './interceptors/brief-retry.interceptor';
import { LlmGate } from './llm/llm-gate';
import { LlmClient } from './llm/llm.client';
import { OfflineBriefComposer } from './llm/offline-brief.composer';
import { JsonCreativeAngle, JsonPersonaClassifier, JsonTrendFetcher } from './tools/static-tools';
import { CREATIVE_ANGLE, PERSONA_CLASSIFIER, TREND_FETCHER } from './tools/tool-types';

// The brief cache's store (CACHE_STORE) comes from the global RedisModule.
@Module({
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
  ],
})
export class BriefModule {}
