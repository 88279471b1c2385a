import { HealthIndicatorService } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { RedisHealthIndicator } from './redis.health';

describe('RedisHealthIndicator', () => {
  it('says Redis is down without saying where it is (GET /health is open to anyone)', async () => {
    const redis = { ping: jest.fn().mockRejectedValue(new Error('connect ECONNREFUSED 10.0.0.7:6379')) };
    const result = await new RedisHealthIndicator(redis as unknown as Redis, new HealthIndicatorService()).check('redis');
    expect(result).toEqual({ redis: { status: 'down', message: 'connect ECONNREFUSED [host]' } });
  });
});
