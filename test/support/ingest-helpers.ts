import { INestApplication } from '@nestjs/common';
import request from 'supertest';

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

export async function top(app: INestApplication, campaignId: string, limit = 100) {
  const res = await request(app.getHttpServer()).get('/top-performers').query({ campaignId, limit }).expect(200);
  return res.body as Array<{ rank: number; influencerId: string; engagementRate: number; likes: number; comments: number; shares: number; views: number; posts: number }>;
}

export const HEADER = 'campaignId,influencerId,postId,likes,comments,shares,views';
