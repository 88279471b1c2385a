import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '../redis/redis.tokens';
import { clientSafeMessage } from '../http/client-safe-message';
import { withTimeout } from '../with-timeout';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'redis') {
    const indicator = this.health.check(key);
    try {
      await withTimeout(this.redis.ping(), 1500, 'PING');
      return indicator.up();
    } catch (err) {
      return indicator.down({ message: clientSafeMessage((err as Error).message) });
    }
  }
}
