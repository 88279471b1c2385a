import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';
import { AppRole, EnvironmentVariables, validateEnvironment } from './core/config/environment';
import { RateLimitGuard, rateLimits } from './core/http/rate-limits';
import { DatabaseModule } from './core/database/database.module';
import { HealthModule } from './core/health/health.module';
import { ApiKeyGuard } from './core/http/api-key.guard';
import { LoggingModule } from './core/http/logging.module';
import { QueueModule } from './core/queue/queue.module';
import { QueueDashboardModule } from './core/queue/queue-dashboard.module';
import { RedisModule } from './core/redis/redis.module';
import { RedisKeys } from './core/redis/redis-keys';
import { REDIS_CLIENT } from './core/redis/redis.tokens';
import { RateLimitStorage } from './core/http/rate-limit-storage';
import { IngestModule } from './ingest/ingest.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { BriefModule } from './brief/brief.module';

export interface AppModuleOptions {
  role: AppRole;
}

/**
 * One application, three roles: `api` serves HTTP and enqueues work, `worker` consumes
 * the queue, `all` (the default) does both in one process.
 */
@Module({})
export class AppModule {
  static forRoot({ role }: AppModuleOptions): DynamicModule {
    const serveHttp = role !== 'worker';
    return {
      module: AppModule,
      imports: [
        // Read per forRoot() call (not at import time) so tests can boot apps with other settings.
        ConfigModule.forRoot({ isGlobal: true, cache: true, ignoreEnvFile: true, validate: validateEnvironment }),
        LoggingModule,
        DatabaseModule,
        RedisModule,
        QueueModule,
        ThrottlerModule.forRootAsync({
          inject: [ConfigService, REDIS_CLIENT, RedisKeys],
          useFactory: (config: ConfigService<EnvironmentVariables, true>, redis: Redis, keys: RedisKeys) => ({
            ...rateLimits({
              RATE_LIMIT_PER_MIN: config.get('RATE_LIMIT_PER_MIN', { infer: true }),
              BRIEF_RATE_LIMIT_PER_MIN: config.get('BRIEF_RATE_LIMIT_PER_MIN', { infer: true }),
              INGEST_RATE_LIMIT_PER_MIN: config.get('INGEST_RATE_LIMIT_PER_MIN', { infer: true }),
            }),
            storage: new RateLimitStorage(redis, keys),
          }),
        }),
        AnalyticsModule,
        IngestModule.register({ http: serveHttp, worker: role !== 'api' }),
        ...(serveHttp ? [HealthModule, BriefModule, QueueDashboardModule] : []),
      ],
      providers: serveHttp
        ? [
            { provide: APP_GUARD, useClass: ApiKeyGuard },
            { provide: APP_GUARD, useClass: RateLimitGuard },
          ]
        : [],
    };
  }
}
