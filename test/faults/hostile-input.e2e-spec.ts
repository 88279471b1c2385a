import { NestExpressApplication } from '@nestjs/platform-express';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { top, uploadCsv, waitForJob } from '../support/ingest-helpers';
import { recordResponses, ResponseRecorder } from '../support/response-recorder';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

/**
 * The bad-input corpus: hostile uploads (test/fixtures/hostile and generated ones) and
 * hostile requests. Every case ends in a 4xx, or in an accepted upload that reports its
 * bad rows and lands every good one; never a 5xx, never a crash.
 */
const FIXTURES = join(__dirname, '../fixtures/hostile');
const HEADER = 'campaignId,influencerId,postId,likes,comments,shares,views';
const good = (c: string, n: number) => Array.from({ length: n }, (_, i) => `${c},inf_${i},p${i},${i + 1},1,1,${100 + i}`).join('\n');

type Upload = { name: string; body: Buffer; refused?: number; accepted?: number; rejected?: number; landed?: Record<string, number> };

const uploads: Upload[] = [
  { name: 'random-bytes.csv', body: readFileSync(join(FIXTURES, 'random-bytes.csv')) },
  { name: 'empty.csv (0 bytes)', body: readFileSync(join(FIXTURES, 'empty.csv')), refused: 400 },
  { name: 'nul-bytes.csv', body: readFileSync(join(FIXTURES, 'nul-bytes.csv')), accepted: 4, rejected: 1, landed: { hn: 2, hn2: 2 } },
  {
    name: 'invalid-utf8-row.csv',
    body: readFileSync(join(FIXTURES, 'invalid-utf8-row.csv')),
    accepted: 4,
    rejected: 1,
    landed: { hu: 2, hu2: 2 },
  },
  {
    name: 'header-repeated.csv',
    body: readFileSync(join(FIXTURES, 'header-repeated.csv')),
    accepted: 4,
    rejected: 1,
    landed: { hr: 2, hr2: 2 },
  },
  { name: 'windows-1252.csv', body: readFileSync(join(FIXTURES, 'windows-1252.csv')), accepted: 0, rejected: 1 },
  { name: 'unbalanced-quotes.csv', body: readFileSync(join(FIXTURES, 'unbalanced-quotes.csv')), landed: { hq: 3 } },
  {
    name: 'a single line of 10 MB between good rows',
    body: Buffer.from(`${HEADER}\n${good('h10', 2)}\nh10,${'x'.repeat(10 * 1024 ** 2)},p9,1,1,1,100\n${good('h10b', 2)}\n`),
    accepted: 4,
    rejected: 1,
    landed: { h10: 2, h10b: 2 },
  },
  {
    name: 'a row of 10,000 columns',
    body: Buffer.from(`${HEADER}\n${good('hc', 2)}\n${Array.from({ length: 10_000 }, (_, i) => `v${i}`).join(',')}\n${good('hc2', 1)}\n`),
    accepted: 3,
    rejected: 1,
    landed: { hc: 2, hc2: 1 },
  },
  {
    name: 'a header of 10,000 columns (the required ones among them)',
    body: Buffer.from(
      `${HEADER},${Array.from({ length: 9_993 }, (_, i) => `extra${i}`).join(',')}\nhx,a,p1,1,1,1,10${',z'.repeat(9_993)}\n`,
    ),
    accepted: 1,
    rejected: 0,
    landed: { hx: 1 },
  },
];

describe('bad-input corpus (real services)', () => {
  let app: NestExpressApplication;
  let recorder: ResponseRecorder;
  beforeAll(async () => {
    app = await startTestApp({
      MONGODB_URI: isolatedMongoUri('hostile'),
      INGEST_CHUNK_ROWS: '50',
      RATE_LIMIT_PER_MIN: '100000',
      INGEST_RATE_LIMIT_PER_MIN: '10000',
    });
    recorder = recordResponses(app);
  });
  afterAll(async () => app?.close());

  it.each(uploads.map((u) => [u.name, u]))('upload: %s', async (_name, u) => {
    const res = await uploadCsv(app, u.body, 'raw');
    expect(res.status).toBeLessThan(500);
    if (u.refused) expect(res.status).toBe(u.refused);
    if (res.status !== 202) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(typeof res.body.message).toBe('string');
      return;
    }
    const job = await waitForJob(app, res.body.jobId);
    expect(job.status).toBe('completed');
    if (u.accepted !== undefined) expect(job.rowsAccepted).toBe(u.accepted);
    if (u.rejected !== undefined) expect(job.rowsRejected).toBe(u.rejected);
    for (const e of job.errors as Array<{ line: number; reason: string }>) {
      expect(e.line).toBeGreaterThan(1);
      expect(e.reason.length).toBeGreaterThan(0);
    }
    for (const [campaignId, posts] of Object.entries(u.landed ?? {})) {
      expect((await top(app, campaignId)).reduce((n, r) => n + r.posts, 0)).toBe(posts);
    }
  });

  it('upload: truncated multipart is a 4xx', async () => {
    const { port } = app.getHttpServer().address() as { port: number };
    const boundary = 'XyZ123';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="t.csv"\r\nContent-Type: text/csv\r\n\r\n${HEADER}\n${good('ht', 3)}\nht,inf_9,p9,1,1`;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/ingest',
          headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body); // the closing boundary never comes
    });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
  });

  /**
   * Sends the head of a POST /ingest declaring `declared` bytes and a little of the body,
   * never the rest; resolves with what the server answered once it closed the connection.
   */
  function refusedBeforeTheBody(contentType: string, declared: number) {
    const { port } = app.getHttpServer().address() as { port: number };
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8').on('data', (d: string) => (answer += d));
    socket.on('error', () => undefined);
    socket.write(
      `POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\nContent-Length: ${declared}\r\n\r\n${HEADER}\n${good('big', 50)}\n`,
    );
    // Generous: the answer is due at once; left open, the server would wait for the body until the request timeout (an hour).
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`the server left the connection open; it answered: ${answer.split('\r\n')[0] || 'nothing'}`));
      }, 10_000);
      socket.on('close', () => (clearTimeout(timer), resolve(answer)));
    });
  }

  it('upload: a text/csv body declaring 600 MB is refused (413) and the connection closed, its body not read', async () => {
    const answer = await refusedBeforeTheBody('text/csv', 600 * 1024 ** 2);
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
  });

  it('upload: a body of another type is refused (415) and the connection closed, its body not read', async () => {
    const answer = await refusedBeforeTheBody('application/x-tar', 5 * 1024 ** 2);
    expect(answer).toMatch(/^HTTP\/1\.1 415/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
  });

  const queries: Array<[string, string]> = [
    ['operator in campaignId', '/top-performers?campaignId[$ne]=x'],
    ['operator $where', '/top-performers?campaignId[$where]=sleep(1000)'],
    ['__proto__ as a key', '/top-performers?__proto__[polluted]=1&campaignId=c'],
    ['constructor.prototype', '/top-performers?constructor[prototype][polluted]=1&campaignId=c'],
    ['campaignId=__proto__ (a literal id)', '/top-performers?campaignId=__proto__'],
    ['huge limit', '/top-performers?campaignId=c&limit=99999999999999999999'],
    ['limit 1e309', '/top-performers?campaignId=c&limit=1e309'],
    ['repeated campaignId', '/top-performers?campaignId=a&campaignId=b'],
    ['page of campaigns as object', '/campaigns?page[$gt]=0'],
    ['job id __proto__', '/ingest/__proto__'],
    ['job id operator', '/ingest/%7B%22%24ne%22%3A1%7D'],
  ];
  it.each(queries)('request: %s → 4xx or an empty answer, never 5xx', async (_name, path) => {
    const res = await request(app.getHttpServer()).get(path);
    expect(res.status).toBeLessThan(500);
    if (res.status === 200) expect(res.body).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  const bodies: Array<[string, number, string | object]> = [
    ['a JSON array', 400, []],
    ['nested operator objects', 400, { brand: { $gt: '' }, product: 'x', goal: 'awareness', platform: 'tiktok' }],
    ['__proto__ in the body', 400, '{"__proto__":{"polluted":1},"brand":"a","product":"b","goal":"awareness","platform":"tiktok"}'],
    ['a 1 MB string', 413, { brand: 'x'.repeat(1024 ** 2), product: 'x', goal: 'awareness', platform: 'tiktok' }],
    ['not JSON at all', 400, '{"brand": '],
  ];
  it.each(bodies)('POST /generate_brief with %s → %i', async (_name, status, body) => {
    const req = request(app.getHttpServer()).post('/generate_brief').set('Content-Type', 'application/json');
    const res = await req.send(typeof body === 'string' ? body : JSON.stringify(body));
    expect(res.status).toBe(status);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('is still alive and healthy after the whole corpus, and no answer showed where a dependency lives', async () => {
    await request(app.getHttpServer()).get('/health').expect(200);
    expect(recorder.responses.length).toBeGreaterThan(uploads.length);
    expect(recorder.leaks()).toEqual([]);
  });
});
