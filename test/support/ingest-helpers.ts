import { INestApplication } from '@nestjs/common';
import { MongoClient } from 'mongodb';
import request from 'supertest';
import { referenceUpload } from './reference-upload';
import { expectTotalsMatchRows } from './totals-audit';

export function uploadCsv(app: INestApplication, csv: string | Buffer, how: 'multipart' | 'raw' = 'multipart') {
  const req = request(app.getHttpServer()).post('/ingest');
  return how === 'raw'
    ? req.set('Content-Type', 'text/csv').send(Buffer.isBuffer(csv) ? csv : Buffer.from(csv))
    : req.attach('file', Buffer.isBuffer(csv) ? csv : Buffer.from(csv), 'upload.csv');
}

/** Polls the status until the job ends (or the deadline passes) and returns it. */
export async function waitForJob(app: INestApplication, jobId: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(app.getHttpServer()).get(`/ingest/${jobId}`).expect(200);
    if (res.body.status === 'completed' || res.body.status === 'failed') return res.body;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function ingest(app: INestApplication, csv: string) {
  const res = await uploadCsv(app, csv);
  if (res.status !== 202) throw new Error(`upload refused: ${res.status} ${JSON.stringify(res.body)}`);
  return waitForJob(app, res.body.jobId);
}

export async function top(app: INestApplication, campaignId: string, limit = 100, slice: Record<string, string | number> = {}) {
  const res = await request(app.getHttpServer())
    .get('/top-performers')
    .query({ campaignId, limit, ...slice })
    .expect(200);
  return res.body as Array<{
    rank: number;
    influencerId: string;
    engagementRate: number;
    adjustedRate: number;
    likes: number;
    comments: number;
    shares: number;
    views: number;
    posts: number;
  }>;
}

export const HEADER = 'campaignId,influencerId,postId,likes,comments,shares,views';

/** Polls the status until `atLeast` rows are written (or the job ended, or 30 s passed); returns that status. */
export async function waitForRowsWritten(app: INestApplication, jobId: string, atLeast: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const s = (await request(app.getHttpServer()).get(`/ingest/${jobId}`).expect(200)).body as { status: string; rowsWritten: number };
    if (s.rowsWritten >= atLeast || s.status === 'completed' || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * After a drill: the job completed with the reference's counts, exactly one stored row per
 * distinct key (nothing lost, no superseded version kept), every ranking equal to the
 * reference's, and every total equal to a recomputation from the stored rows.
 */
export async function expectMatchesReference(app: INestApplication, uri: string, jobId: string, ref: ReturnType<typeof referenceUpload>) {
  const job = await waitForJob(app, jobId, 120_000);
  expect(ref.duplicates).toBeGreaterThan(0);
  expect(job).toMatchObject({
    status: 'completed',
    rowsAccepted: ref.accepted,
    rowsRejected: ref.bad,
    rowsDuplicate: ref.duplicates,
  });
  // Every accepted row stored or, for a key the file repeats, dropped if the later line landed first.
  expect(job.rowsWritten + job.rowsSuperseded).toBe(ref.accepted);
  expect(job.rowsWritten).toBeGreaterThanOrEqual(ref.accepted - ref.duplicates);
  const client = await MongoClient.connect(uri);
  try {
    const stored = await client
      .db()
      .collection('engagement_rows')
      .countDocuments({ campaignId: { $in: [...ref.reference.keys()] } });
    expect(stored).toBe(ref.accepted - ref.duplicates);
  } finally {
    await client.close();
  }
  for (const [campaignId, expected] of ref.reference) {
    const ranking = await top(app, campaignId, 100);
    expect(ranking.map((r) => [r.influencerId, r.likes, r.comments, r.shares, r.views, r.posts])).toEqual(
      expected.map((e) => [e.influencerId, e.likes, e.comments, e.shares, e.views, e.posts]),
    );
  }
  await expectTotalsMatchRows(app, [...ref.reference.keys()]);
}
