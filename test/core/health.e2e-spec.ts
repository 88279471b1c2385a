import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

describe('GET /health (real database + Redis)', () => {
  let app: NestExpressApplication;
  afterEach(async () => app?.close());

  it('is 200 with MongoDB, Redis and the queue up', async () => {
    app = await startTestApp({ MONGODB_URI: isolatedMongoUri('health') });
    const res = await request(app.getHttpServer()).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok' });
    expect(res.body.info.mongodb.status).toBe('up');
    expect(res.body.info.redis.status).toBe('up');
    expect(res.body.info.queue.status).toBe('up');
  });

  it('is 503 naming Redis when Redis is unreachable', async () => {
    // Port 1 on loopback: nothing listens there, connections are refused at once.
    app = await startTestApp({ MONGODB_URI: isolatedMongoUri('health'), REDIS_URL: 'redis://127.0.0.1:1' });
    const res = await request(app.getHttpServer()).get('/health').expect(503);
    expect(res.body.status).toBe('error');
    expect(res.body.error.redis.status).toBe('down');
    expect(res.body.info.mongodb.status).toBe('up');
  });

  it('stays open when API keys are required elsewhere', async () => {
    app = await startTestApp({ MONGODB_URI: isolatedMongoUri('health'), API_KEYS: 'k1,k2' });
    await request(app.getHttpServer()).get('/health').expect(200);
    await request(app.getHttpServer()).get('/docs-json').expect(200);
  });

  it('serves the queue dashboard at /queues when no keys are set', async () => {
    app = await startTestApp({ MONGODB_URI: isolatedMongoUri('health'), API_KEYS: '' });
    const res = await request(app.getHttpServer()).get('/queues').expect(200);
    expect(res.text).toMatch(/<html/i);
  });
});

describe('API keys (API_KEYS set)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: isolatedMongoUri('keys'), API_KEYS: 'alpha-key, beta-key' });
  });
  afterAll(async () => app?.close());

  it('answers 401 without X-API-Key, 403 with a wrong one, 200 with any configured key', async () => {
    const server = app.getHttpServer();
    const res401 = await request(server).get('/top-performers?campaignId=x').expect(401);
    expect(res401.body.message).toMatch(/Missing X-API-Key/);
    await request(server).get('/top-performers?campaignId=x').set('X-API-Key', 'alpha-kez').expect(403);
    await request(server).get('/top-performers?campaignId=x').set('X-API-Key', 'alpha-key').expect(200);
    await request(server).get('/top-performers?campaignId=x').set('X-API-Key', 'beta-key').expect(200);
    await request(server).post('/generate_brief').send({}).expect(401);
    await request(server).post('/ingest').expect(401);
    await request(server).get('/queues').expect(401);
    await request(server).get('/queues').set('X-API-Key', 'nope').expect(403);
    const board = await request(server).get('/queues').set('X-API-Key', 'beta-key');
    expect(board.status).toBe(200);
    expect(board.text).toMatch(/<html/i);
  });
});
