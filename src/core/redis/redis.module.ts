import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { RedisKeys } from './redis-keys';
import { REDIS_CLIENT } from './redis.tokens';

@Injectable()
class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}
  async onApplicationShutdown() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * The app's own Redis connection (health, upload progress, the ranking cache, the briefs'
 * cache manager) and the key names on QUEUE_PREFIX. Bull builds its connections from
 * the same REDIS_URL.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const logger = new Logger('Redis');
        const client = new Redis(config.REDIS_URL, {
          lazyConnect: false,
          // Fail commands fast while Redis is away instead of queueing them forever;
          // callers decide whether that is a 503 or a degraded answer.
          maxRetriesPerRequest: 2,
          enableOfflineQueue: true,
          connectTimeout: 2000,
          retryStrategy: (times) => Math.min(times * 200, 2000),
          // Every request sends a command or two (rate limit, ranking cache): those issued in
          // the same tick go out in one write instead of one system call each.
          enableAutoPipelining: true,
        });
        let down = false;
        client.on('error', (err) => {
          if (!down) logger.warn(`Redis unavailable: ${err.message}`);
          down = true;
        });
        client.on('ready', () => {
          if (down) logger.log('Redis connection restored');
          down = false;
        });
        return client;
      },
    },
    RedisKeys,
    RedisShutdown,
  ],
  exports: [REDIS_CLIENT, RedisKeys],
})
export class RedisModule {}
