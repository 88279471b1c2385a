import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

describe('API keys under the rate limit', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: isolatedMongoUri('key_limit'), API_KEYS: 'right-key', RATE_LIMIT_PER_MIN: '3' });
  });
  afterAll(async () => app?.close());

  it('answers 429 to a client guessing keys once it is past the limit, as to any other client', async () => {
    const server = app.getHttpServer();
    for (let i = 0; i < 3; i++) await request(server).get('/campaigns').set('X-API-Key', `guess-${i}`).expect(403);
    const over = await request(server).get('/campaigns').set('X-API-Key', 'guess-3');
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Without a key counts too: missing and wrong keys are the same guessing.
    expect((await request(server).get('/campaigns')).status).toBe(429);
  });

  it('counts every request once, refused or let through', async () => {
    const server = app.getHttpServer();
    await request(server).get('/top-performers').query({ campaignId: 'c' }).set('X-API-Key', 'wrong').expect(403);
    await request(server).get('/top-performers').query({ campaignId: 'c' }).set('X-API-Key', 'right-key').expect(200);
    await request(server).get('/top-performers').query({ campaignId: 'c' }).set('X-API-Key', 'right-key').expect(200);
    expect((await request(server).get('/top-performers').query({ campaignId: 'c' }).set('X-API-Key', 'right-key')).status).toBe(429);
  });
});
