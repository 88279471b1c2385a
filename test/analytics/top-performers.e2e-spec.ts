import { NestExpressApplication } from '@nestjs/platform-express';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { Document, MongoClient } from 'mongodb';
import request from 'supertest';
import { RedisKeys } from '../../src/core/redis/redis-keys';
import { HEADER, ingest, top } from '../support/ingest-helpers';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

describe('GET /top-performers (real database)', () => {
  let app: NestExpressApplication;
  const uri = isolatedMongoUri('analytics');
  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: uri });
    await ingest(
      app,
      [
        HEADER,
        'c1,b,p1,1,0,0,10', // b: 0.1
        'c1,a,p2,2,0,0,20', // a: 0.1 (tie with b → a first)
        'c1,top,p3,3,1,1,10', // 0.5
        'c1,top,p4,0,0,0,10', // top total: 5/20 = 0.25
        'c1,viral,p5,30,0,0,20', // 1.5: a rate above 1 is legal
        'c2,x,p1,1,1,1,3',
      ].join('\n'),
    );
  });
  afterAll(async () => app?.close());

  it('ranks by engagement rate desc, ties by influencerId, aggregating every row of a creator', async () => {
    const ranking = await top(app, 'c1', 10);
    expect(ranking.map((r) => [r.rank, r.influencerId, r.engagementRate])).toEqual([
      [1, 'viral', 1.5],
      [2, 'top', 0.25],
      [3, 'a', 0.1],
      [4, 'b', 0.1],
    ]);
    expect(ranking[1]).toMatchObject({ likes: 3, comments: 1, shares: 1, views: 20, posts: 2 });
  });

  it('defaults limit to 10 and honours it', async () => {
    expect(await top(app, 'c1', 2)).toHaveLength(2);
    const res = await request(app.getHttpServer()).get('/top-performers?campaignId=c1').expect(200);
    expect(res.body).toHaveLength(4);
  });

  it('answers 200 [] for an unknown campaign', async () => {
    expect(await top(app, 'nope')).toEqual([]);
  });

  it.each([
    ['', /campaignId is required/],
    ['campaignId=', /must not be empty/],
    ['campaignId=%20', /must not be empty/],
    ['campaignId=c1&campaignId=c2', /given once/],
    ['campaignId[$ne]=x', /given once/],
    ['campaignId[$gt]=', /given once/],
    ['campaignId[__proto__][x]=1', /given once/],
    ['campaignId[constructor]=x', /given once/],
    [`campaignId=${'x'.repeat(201)}`, /at most 200/],
    ['campaignId=c1&limit=0', /limit must be an integer between 1 and 100/],
    ['campaignId=c1&limit=101', /limit/],
    ['campaignId=c1&limit=99999999999999999999', /limit/],
    ['campaignId=c1&limit=1.5', /limit/],
    ['campaignId=c1&limit=1e2', /limit/],
    ['campaignId=c1&limit=-1', /limit/],
    ['campaignId=c1&limit=abc', /limit/],
    ['campaignId=c1&limit=1&limit=2', /limit/],
  ])('400s ?%s with a reason', async (qs, reason) => {
    const res = await request(app.getHttpServer()).get(`/top-performers?${qs}`).expect(400);
    expect(res.body.message.join(' ')).toMatch(reason);
  });

  it('lists campaigns with counts, paginated', async () => {
    const res = await request(app.getHttpServer()).get('/campaigns?pageSize=1&page=2').expect(200);
    expect(res.body).toEqual({
      items: [{ campaignId: 'c2', influencers: 1, rows: 1, updatedAt: expect.any(String) }],
      page: 2,
      pageSize: 1,
      total: 2,
    });
  });

  it('has the indexes its queries need, and the real server uses them (explain)', async () => {
    const client = await MongoClient.connect(uri);
    const db = client.db();
    const plan = (explained: Document) => JSON.stringify((explained.queryPlanner as Document).winningPlan);
    try {
      const totalsIndexes = await db.collection('influencer_totals').indexes();
      expect(totalsIndexes).toContainEqual(
        expect.objectContaining({ name: 'top_performers', key: { campaignId: 1, engagementRate: -1, influencerId: 1 } }),
      );
      // Ingest reads and writes rows by _id; the one secondary index serves analytics' slices.
      const rowIndexes = await db.collection('engagement_rows').indexes();
      expect(rowIndexes.map((i) => [i.name, i.key])).toEqual([
        ['_id_', { _id: 1 }],
        ['slices', { campaignId: 1, platform: 1, postedAt: 1 }],
      ]);
      const sliceRead = db.collection('engagement_rows').find({ campaignId: 'c1', platform: 'tiktok', postedAt: { $gte: new Date(0) } });
      expect(plan(await sliceRead.explain())).toMatch(/IXSCAN.*slices/);

      const topQuery = db
        .collection('influencer_totals')
        .find({ campaignId: 'c1' })
        .sort({ engagementRate: -1, influencerId: 1 })
        .limit(100);
      expect(plan(await topQuery.explain())).toMatch(/IXSCAN.*top_performers/);
      const rowLookup = db.collection('engagement_rows').find({ _id: { $in: ['pkey1', 'pkey2'] } as never });
      expect(plan(await rowLookup.explain())).toMatch(/IXSCAN.*_id_|IDHACK|EXPRESS/);
    } finally {
      await client.close();
    }
  });

  // Last: these add campaign c3.
  it('serves repeated reads from the Redis cache, and a later upload is visible at once', async () => {
    const redis = new Redis(process.env.REDIS_URL!);
    const key = (...parts: string[]) => app.get(RedisKeys).key('top', 'c3', ...parts);
    try {
      await ingest(app, [HEADER, 'c3,x,p1,1,1,1,3'].join('\n'));
      const before = await top(app, 'c3');
      expect(before.map((r) => [r.influencerId, r.likes])).toEqual([['x', 1]]);
      // Filled by that read (cache-aside), under the campaign's current version.
      const version = await redis.get(key('version'));
      expect(JSON.parse((await redis.get(key(`v${version}`, '100')))!)).toHaveLength(1);

      await ingest(app, [HEADER, 'c3,x,p1,9,1,1,3', 'c3,y,p9,1,0,0,100'].join('\n')); // p1 rewritten
      const after = await top(app, 'c3');
      expect(after.map((r) => [r.influencerId, r.likes])).toEqual([
        ['x', 9],
        ['y', 1],
      ]);
      // The ingest invalidated the campaign: its version moved on.
      expect(Number(await redis.get(key('version')))).toBeGreaterThan(Number(version));
      // A stale entry left under the old version is never read again.
      await redis.set(key(`v${version}`, '100'), '[]');
      expect((await top(app, 'c3')).length).toBe(2);
    } finally {
      redis.disconnect();
    }
  });

  it('keeps answering from the database while Redis is unreachable', async () => {
    const noRedis = await startTestApp({ MONGODB_URI: uri, REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const res = await request(noRedis.getHttpServer()).get('/top-performers').query({ campaignId: 'c1', limit: 1 }).expect(200);
      expect(res.body.map((r: { influencerId: string }) => r.influencerId)).toEqual(['viral']);
    } finally {
      await noRedis.close();
    }
  });
});

describe('GET /top-performers on several API processes (each keeps rankings in memory)', () => {
  const uri = isolatedMongoUri('analytics_procs');
  const env = { MONGODB_URI: uri, QUEUE_PREFIX: `procs_${randomBytes(3).toString('hex')}` };
  const apps: NestExpressApplication[] = [];
  afterAll(async () => Promise.all(apps.map((a) => a.close())));

  it("drops a process's copy of a campaign when another process's upload changes it", async () => {
    const [a, b] = [await startTestApp(env, 'api'), await startTestApp(env, 'api')];
    apps.push(a, b, await startTestApp(env, 'worker'));
    await ingest(a, [HEADER, 'p1,x,post1,1,0,0,10'].join('\n'));
    // Twice: the second read is B's in-memory copy.
    for (let i = 0; i < 2; i++) expect((await top(b, 'p1')).map((r) => [r.influencerId, r.likes])).toEqual([['x', 1]]);

    await ingest(a, [HEADER, 'p1,x,post1,5,0,0,10', 'p1,y,post2,9,0,0,10'].join('\n'));
    // The invalidation reaches B over Redis pub/sub within milliseconds; B's copy would
    // otherwise live for a minute.
    const deadline = Date.now() + 2_000;
    let seen = await top(b, 'p1');
    while (seen.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      seen = await top(b, 'p1');
    }
    expect(seen.map((r) => [r.influencerId, r.likes])).toEqual([
      ['y', 9],
      ['x', 5],
    ]);
  });
});
