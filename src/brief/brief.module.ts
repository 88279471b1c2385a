import KeyvRedis from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Keyv from 'keyv';
import { EnvironmentVariables } from '../core/config/environment';
import { BriefController } from './brief.controller';
import { BriefService } from './brief.service';
import { BriefCacheInterceptor } from './interceptors/brief-cache.interceptor';
import { BriefRetryInterceptor } from './interceptors/brief-retry.interceptor';
import { LlmGate } from './llm/llm-gate';
import { LlmClient } from './llm/llm.client';
import { OfflineBriefComposer } from './llm/offline-brief.composer';
import { JsonCreativeAngle, JsonPersonaClassifier, JsonTrendFetcher } from './tools/static-tools';
import { CREATIVE_ANGLE, PERSONA_CLASSIFIER, TREND_FETCHER } from './tools/tool-types';

@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => {
        const logger = new Logger('BriefCache');
        const store = new KeyvRedis(config.get('REDIS_URL', { infer: true }), {
          throwOnConnectError: false,
          throwOnErrors: true,
          connectionTimeout: 1000,
        });
        const keyv = new Keyv({ store, namespace: config.get('QUEUE_PREFIX', { infer: true }) });
        // Without a listener an emitted 'error' would crash the process.
        let last = 0;
        keyv.on('error', (err: Error) => {
          if (Date.now() - last > 30_000) logger.warn(`Redis cache store: ${err.message}`);
          last = Date.now();
        });
        return { stores: [keyv] };
      },
    }),
  ],
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
