import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

const CSV = 'campaignId,influencerId,likes,comments,shares,views\ncsrf,a,1,1,1,10\n';

/** API_KEYS unset: the case where nothing else stands between a web page and the writes. */
describe('cross-site writes (CSRF) with the API open', () => {
  let app: NestExpressApplication;
  let self: string;
  beforeAll(async () => {
    app = await startTestApp({
      MONGODB_URI: isolatedMongoUri('csrf'),
      API_KEYS: undefined,
      CORS_ORIGINS: 'https://app.example.com',
      INGEST_RATE_LIMIT_PER_MIN: '1000',
    });
    self = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => app?.close());

  const upload = (headers: Record<string, string>, type = 'text/plain') =>
    request(app.getHttpServer()).post('/ingest').set(headers).set('Content-Type', type).send(CSV);

  const expectRefused = (res: request.Response) => {
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/^Cross-site request refused/);
    expect(res.body.message).toMatch(/CORS_ORIGINS/);
  };

  it('refuses a text/plain upload sent by a page on another site', async () => {
    expectRefused(await upload({ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' }));
  });

  it('refuses a form post (multipart, with a file) from another site', async () => {
    const res = await request(app.getHttpServer())
      .post('/ingest')
      .set({ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' })
      .attach('file', Buffer.from(CSV), 'upload.csv');
    expectRefused(res);
  });

  it('refuses on either sign alone: a foreign Origin, Sec-Fetch-Site cross-site or same-site, or Origin null', async () => {
    expectRefused(await upload({ Origin: 'https://evil.example' }));
    expectRefused(await upload({ 'Sec-Fetch-Site': 'cross-site' }));
    expectRefused(await upload({ Origin: 'https://other.example.com', 'Sec-Fetch-Site': 'same-site' }));
    expectRefused(await upload({ Origin: 'null' }));
    expectRefused(
      await request(app.getHttpServer())
        .post('/generate_brief')
        .set('Origin', 'https://evil.example')
        .send({ brand: 'Acme', product: 'Trail shoes', goal: 'awareness', platform: 'instagram' }),
    );
  });

  it('lets curl and other non-browser clients (no Origin, no Sec-Fetch-Site) through', async () => {
    await upload({}, 'text/csv').expect(202);
  });

  it("lets the server's own pages and the CORS_ORIGINS through", async () => {
    await upload({ Origin: self, 'Sec-Fetch-Site': 'same-origin' }).expect(202);
    await upload({ Origin: self }).expect(202); // a browser without Fetch Metadata
    await upload({ 'Sec-Fetch-Site': 'same-origin' }).expect(202); // a proxy may rewrite Host; the browser's word stands
    await upload({ Origin: 'https://app.example.com', 'Sec-Fetch-Site': 'cross-site' }).expect(202);
  });

  it('leaves reads alone: a cross-site GET is answered as before', async () => {
    await request(app.getHttpServer())
      .get('/campaigns')
      .set({ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' })
      .expect(200);
  });
});
