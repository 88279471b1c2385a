import { NestExpressApplication } from '@nestjs/platform-express';
import { MongoClient } from 'mongodb';
import { HEADER, top, uploadCsv, waitForJob } from '../support/ingest-helpers';
import { laterUploadWins } from '../support/reference-upload';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

/**
 * Uploads whose keys overlap, in flight at the same time: small chunks and two chunks at a
 * time per worker, so one upload's chunks land between another's and a later version can be
 * written before an earlier one. Which version wins must still follow the order the server
 * accepted the uploads (their uploadSeq), never the order their chunks happened to land.
 */
const RUN = 'ovl';
const ROWS = 3_000;
const SPAN = 1_500; // keys per upload; each file visits each of its keys twice

/**
 * Upload `u` covers keys [500u, 500u + SPAN): the three overlap pairwise and all in the
 * middle, so which one wins a key depends on the order of all three (and of the re-upload).
 */
function overlappingUpload(u: number): string {
  const lines = [HEADER];
  const stride = [1, 7, 11][u]; // coprime with SPAN: every key, in a different order per file
  for (let n = 0; n < ROWS; n++) {
    const k = u * 500 + ((n * stride) % SPAN);
    const key = `${RUN}_c${k % 4},inf_${(k * 7) % 29},p${k}`;
    if (n % 300 === 7)
      lines.push(`${key},999,99,9,0`); // rejected (0 views): must not replace the key's version
    else if (n % 10 === 3)
      lines.push(`${key},${k % 97},${k % 13},${k % 5},${500 + k}`); // the same numbers in every file
    else lines.push(`${key},${(n * 13 + u * 101) % 500},${(n + u * 7) % 40},${(n + u) % 11},${1_000 + ((n * 31 + u * 977) % 5_000)}`);
  }
  return lines.join('\n');
}

describe('overlapping uploads in flight together (real database, Redis, Bull)', () => {
  const uri = isolatedMongoUri('overlap');
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: uri, INGEST_CHUNK_ROWS: '200', INGEST_WORKER_CONCURRENCY: '2' });
  });
  afterAll(async () => app?.close());

  it('three uploads posted back to back whose keys overlap, plus a re-upload of the first: every job completes and each ranking is the later-upload-wins result in the order the server accepted them', async () => {
    // The upload counter exists before the four race for it: secantus-mdb answers the losers
    // of concurrent upserts that create a document with no document, and the app then reuses
    // seq 1 (test/core/database-engine.e2e-spec.ts has that race; here it is the chunks').
    const warm = await uploadCsv(app, `${HEADER}\n${RUN}_warm,inf_0,p0,1,1,1,10`, 'raw').expect(202);
    expect(await waitForJob(app, warm.body.jobId)).toMatchObject({ status: 'completed' });

    const first = overlappingUpload(0);
    const files = [first, overlappingUpload(1), overlappingUpload(2), first];
    // All four in flight at once: the server decides their order, the test reads it back.
    const accepted = await Promise.all(files.map((csv) => uploadCsv(app, csv, 'raw')));
    const jobIds = accepted.map((res) => {
      expect(res.status).toBe(202);
      return res.body.jobId as string;
    });
    const jobs = await Promise.all(jobIds.map((id) => waitForJob(app, id, 150_000)));
    for (const job of jobs) {
      expect(job).toMatchObject({ status: 'completed', rowsRejected: 10, rowsAccepted: ROWS - 10 });
      // Each accepted row is stored, or dropped because a newer version of its key was.
      expect(job.rowsWritten + job.rowsSuperseded).toBe(ROWS - 10);
    }

    // The drill only means something if the uploads really were written at the same time.
    const windows = jobs.map((j: { startedAt: string; finishedAt: string }) => [Date.parse(j.startedAt), Date.parse(j.finishedAt)]);
    windows.sort((a, b) => a[0] - b[0]);
    expect(windows.some(([start], n) => n > 0 && start < windows[n - 1][1])).toBe(true);

    const client = await MongoClient.connect(uri);
    let expected: ReturnType<typeof laterUploadWins>;
    try {
      const docs = await client
        .db()
        .collection<{ _id: string; uploadSeq: number }>('ingest_jobs')
        .find({ _id: { $in: jobIds } })
        .toArray();
      const seq = new Map(docs.map((d) => [d._id, d.uploadSeq]));
      expect(new Set(seq.values()).size).toBe(files.length);
      // The last upload accepted loses no key to another: each of its keys is stored by it at least once.
      const last = jobs[jobIds.indexOf([...seq].sort((a, b) => b[1] - a[1])[0][0])];
      expect(last.rowsWritten).toBeGreaterThanOrEqual(last.rowsAccepted - last.rowsDuplicate);
      const inServerOrder = files.map((csv, n) => ({ csv, seq: seq.get(jobIds[n])! })).sort((a, b) => a.seq - b.seq);
      expected = laterUploadWins(inServerOrder.map((f) => f.csv));
      const distinct = [...expected.values()].reduce((sum, ranking) => sum + ranking.reduce((s, r) => s + r.posts, 0), 0);
      expect(
        await client
          .db()
          .collection('engagement_rows')
          .countDocuments({ campaignId: { $in: [...expected.keys()] } }),
      ).toBe(distinct);
    } finally {
      await client.close();
    }

    expect(expected.size).toBe(4);
    for (const [campaignId, ranking] of expected) {
      const got = await top(app, campaignId, 100);
      expect(got.map((r) => [r.rank, r.influencerId, r.likes, r.comments, r.shares, r.views, r.posts, r.engagementRate])).toEqual(
        ranking.map((r, n) => [n + 1, r.influencerId, r.likes, r.comments, r.shares, r.views, r.posts, r.rate]),
      );
    }
  }, 240_000);

  it('the reference tells the orders apart: the 12 orders of the four files give 6 different results', () => {
    // What decides a key is the relative order of the second, the third and the last copy of
    // the first: 3! outcomes. Fewer would mean files so alike that a wrong order could pass.
    const files = [0, 1, 2].map(overlappingUpload);
    const orders = new Set<string>();
    const permute = (rest: number[], done: number[]) => {
      if (rest.length === 0) orders.add(done.join());
      rest.forEach((f, n) => permute([...rest.slice(0, n), ...rest.slice(n + 1)], [...done, f]));
    };
    permute([0, 1, 2, 0], []);
    expect(orders.size).toBe(12);
    const results = new Set([...orders].map((o) => JSON.stringify([...laterUploadWins(o.split(',').map((u) => files[Number(u)]))])));
    expect(results.size).toBe(6);
  });
});
