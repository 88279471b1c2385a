import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EnvironmentVariables } from '../config/environment';
import { INGEST_QUEUE } from './queue-names';

/**
 * Bull on the same REDIS_URL as everything else. Registered once here so the API
 * (producer), the workers (consumer) and /health share one Queue instance.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => ({
        redis: config.get('REDIS_URL', { infer: true }),
        prefix: 'influencer',
        settings: {
          // A chunk is short work; a worker that died is noticed within ~30 s and its
          // chunk re-delivered to another worker (writes are idempotent).
          lockDuration: 30_000,
          stalledInterval: 15_000,
          maxStalledCount: 5,
        },
      }),
    }),
    BullModule.registerQueue({ name: INGEST_QUEUE }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
