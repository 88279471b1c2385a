import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

/** Two API processes of one deployment behind a load balancer: one Redis, one prefix. */
describe('the rate limit across API processes', () => {
  const apps: NestExpressApplication[] = [];
  const start = (env: Record<string, string>) =>
    startTestApp({ MONGODB_URI: isolatedMongoUri('shared_limit'), RATE_LIMIT_PER_MIN: '4', ...env }, 'api').then((a) => {
      apps.push(a);
      return a;
    });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });
  const get = (app: NestExpressApplication) => request(app.getHttpServer()).get('/campaigns');

  it('holds for the deployment: requests spread over two processes share one limit', async () => {
    const prefix = `limit_${randomBytes(3).toString('hex')}`;
    const [a, b] = [await start({ QUEUE_PREFIX: prefix }), await start({ QUEUE_PREFIX: prefix })];
    for (const app of [a, b, a, b]) await get(app).expect(200);
    const over = await get(a);
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await get(b)).status).toBe(429);
  });

  it('is counted apart for another deployment (another prefix) on the same Redis', async () => {
    const a = await start({ QUEUE_PREFIX: `limit_${randomBytes(3).toString('hex')}` });
    const b = await start({ QUEUE_PREFIX: `limit_${randomBytes(3).toString('hex')}` });
    for (let i = 0; i < 4; i++) await get(a).expect(200);
    expect((await get(a)).status).toBe(429);
    await get(b).expect(200);
  });

  it('still limits, per process, while Redis is unreachable, and never refuses a request for it', async () => {
    const app = await start({ REDIS_URL: 'redis://127.0.0.1:1' });
    for (let i = 0; i < 4; i++) await get(app).expect(200);
    expect((await get(app)).status).toBe(429);
  });
});
