import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

describe('rate limits and CORS', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp({
      MONGODB_URI: isolatedMongoUri('limits'),
      OPENAI_API_KEY: undefined,
      RATE_LIMIT_PER_MIN: '5',
      BRIEF_RATE_LIMIT_PER_MIN: '2',
      INGEST_RATE_LIMIT_PER_MIN: '1',
      CORS_ORIGINS: 'https://app.example.com',
    });
  });
  afterAll(async () => app?.close());

  const expect429 = (res: request.Response) => {
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(res.body.message).toMatch(/Too many requests.*Retry-After/);
  };

  it('applies the stricter brief and ingest limits and the default per-route one, each answering 429 with Retry-After', async () => {
    const server = app.getHttpServer();
    const brief = { brand: 'Acme', product: 'Trail shoes', goal: 'awareness', platform: 'instagram' };
    await request(server).post('/generate_brief').send(brief).expect(200); // brief 1 (and default 1 of this route)
    await request(server).post('/generate_brief').send(brief).expect(200); // brief 2
    expect429(await request(server).post('/generate_brief').send(brief)); // brief over

    await request(server).post('/ingest').set('Content-Type', 'text/csv').send('a,b\n1,2\n').expect(422); // ingest 1
    expect429(await request(server).post('/ingest').set('Content-Type', 'text/csv').send('a,b\n1,2\n')); // ingest over

    // The default limit counts per route: /campaigns has its own five.
    for (let i = 0; i < 5; i++) await request(server).get('/campaigns').expect(200);
    expect429(await request(server).get('/campaigns'));
    // Probes are never throttled.
    await request(server).get('/health/live').expect(200);
  });

  it('answers CORS preflights for configured origins only', async () => {
    const server = app.getHttpServer();
    const ok = await request(server)
      .options('/health/live')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'GET');
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const other = await request(server)
      .options('/health/live')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
