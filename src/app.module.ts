import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { AppConfig, AppRole } from './core/config/app-config';
import { AppConfigModule } from './core/config/app-config.module';
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

interface AppModuleOptions {
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
        AppConfigModule.forRoot(),
        LoggingModule,
        DatabaseModule,
        RedisModule,
        QueueModule,
        ThrottlerModule.forRootAsync({
          inject: [AppConfig, REDIS_CLIENT, RedisKeys],
          useFactory: (config: AppConfig, redis: Redis, keys: RedisKeys) => ({
            ...rateLimits(config),
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
