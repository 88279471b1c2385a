import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { HEADER, ingest } from '../support/ingest-helpers';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

const ids = async (app: NestExpressApplication, qs: string) =>
  ((await request(app.getHttpServer()).get(`/campaigns?${qs}`).expect(200)).body.items as Array<{ campaignId: string }>).map(
    (c) => c.campaignId,
  );

describe('GET /campaigns order (real database)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: isolatedMongoUri('campaigns') });
    // Out of order on purpose, and c02 / c2, which a numeric comparison alone calls equal.
    await ingest(app, [HEADER, 'c10,x,p1,1,0,0,10', 'c2,x,p1,1,0,0,10', 'c02,x,p1,1,0,0,10', 'c1,x,p1,1,0,0,10'].join('\n'));
  });
  afterAll(async () => app?.close());

  it('sorts campaign ids naturally: numbers inside an id compare as numbers (c2 before c10)', async () => {
    expect(await ids(app, 'pageSize=50')).toEqual(['c1', 'c02', 'c2', 'c10']);
  });

  it('pages through that same order, each campaign exactly once (ids equal as numbers stay apart)', async () => {
    const pages = [];
    for (let page = 1; page <= 4; page++) pages.push(...(await ids(app, `pageSize=1&page=${page}`)));
    expect(pages).toEqual(['c1', 'c02', 'c2', 'c10']);
  });
});
