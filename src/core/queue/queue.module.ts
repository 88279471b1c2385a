import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { RedisKeys } from '../redis/redis-keys';
import { backoffStrategies } from './backoff';
import { QUEUES } from './queue-names';

/**
 * Bull on the same REDIS_URL as everything else. Registered once here so the API
 * (producer), the workers (consumer) and /health share one Queue instance.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig, RedisKeys],
      useFactory: (config: AppConfig, keys: RedisKeys) => ({
        redis: config.REDIS_URL,
        // Bull spells its keys `<prefix>:<queue>:…` itself; the prefix is the app's one.
        prefix: keys.prefix,
        settings: {
          // A chunk is short work; a worker that died is noticed within about 1.5 lock
          // periods and its chunk re-delivered to another worker (writes are idempotent).
          lockDuration: config.QUEUE_LOCK_MS,
          stalledInterval: Math.max(500, Math.floor(config.QUEUE_LOCK_MS / 2)),
          maxStalledCount: 5,
          backoffStrategies,
        },
      }),
    }),
    BullModule.registerQueue(...QUEUES.map((name) => ({ name }))),
  ],
  exports: [BullModule],
})
export class QueueModule {}
