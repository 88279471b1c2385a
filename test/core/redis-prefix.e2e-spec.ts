import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { briefBody, LlmStub, startLlmStub, startStubbedApp } from '../brief/brief-fixtures';
import { HEADER, ingest, top } from '../support/ingest-helpers';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

const prefix = (name: string) => `${process.env.QUEUE_PREFIX ?? 'rk'}_${name}_${randomBytes(3).toString('hex')}`;

describe('two deployments on one Redis, told apart by QUEUE_PREFIX', () => {
  let a: NestExpressApplication | undefined;
  let b: NestExpressApplication | undefined;
  let stub: LlmStub | undefined;
  afterEach(async () => {
    await a?.close();
    await b?.close();
    a = b = undefined;
  });
  afterAll(async () => stub?.close());

  it('each serves its own /top-performers for the same campaign id', async () => {
    a = await startTestApp({ MONGODB_URI: isolatedMongoUri('prefix_a'), QUEUE_PREFIX: prefix('a') });
    b = await startTestApp({ MONGODB_URI: isolatedMongoUri('prefix_b'), QUEUE_PREFIX: prefix('b') });
    // Unique per run: other runs share this Redis.
    const campaign = `shared-${randomBytes(4).toString('hex')}`;
    await ingest(a, [HEADER, `${campaign},alice,p1,1,0,0,10`].join('\n'));
    await ingest(b, [HEADER, `${campaign},bob,p1,7,0,0,10`].join('\n'));

    // A's read fills the cache first: B's read must not be answered from it.
    expect((await top(a, campaign)).map((r) => [r.influencerId, r.likes])).toEqual([['alice', 1]]);
    expect((await top(b, campaign)).map((r) => [r.influencerId, r.likes])).toEqual([['bob', 7]]);
    expect((await top(a, campaign)).map((r) => [r.influencerId, r.likes])).toEqual([['alice', 1]]);
  });

  it('each caches its own briefs: an identical request in the other deployment is a miss', async () => {
    stub = await startLlmStub();
    a = await startStubbedApp(stub, { QUEUE_PREFIX: prefix('a') });
    b = await startStubbedApp(stub, { QUEUE_PREFIX: prefix('b') });
    const body = briefBody();

    const first = await request(a.getHttpServer()).post('/generate_brief').send(body).expect(200);
    expect(first.headers['x-cache']).toBe('MISS');
    const other = await request(b.getHttpServer()).post('/generate_brief').send(body).expect(200);
    expect(other.headers['x-cache']).toBe('MISS');
    expect(stub.calls).toBe(2);
    // Each still hits its own entry.
    const again = await request(a.getHttpServer()).post('/generate_brief').send(body).expect(200);
    expect(again.headers['x-cache']).toBe('HIT');
    expect(stub.calls).toBe(2);
  });
});
