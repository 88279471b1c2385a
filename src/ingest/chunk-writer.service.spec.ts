import { newTestService, TEST_SESSION } from '../../test/support/new-test-service';
import { CampaignTotalsService } from '../analytics/campaign-totals.service';
import { PackedRow } from './chunk-codec';
import { ChunkWriterService, isNewer } from './chunk-writer.service';
import { EngagementRowsRepository, StoredVersion } from './engagement-rows.repository';
import { IngestProgressRepository } from './ingest-progress.repository';
import { FinalizeService } from './finalize.service';
import { IngestJobRepository } from './ingest-job.repository';

const row = (line: number, key: string, likes: number, views = 100, influencer = 'i1'): PackedRow => [
  line,
  key,
  'c1',
  influencer,
  null,
  null,
  null,
  likes,
  1,
  0,
  views,
];
const stored = (key: string, uploadSeq: number, line: number, likes: number, views = 100): StoredVersion => ({
  _id: key,
  uploadSeq,
  line,
  likes,
  comments: 1,
  shares: 0,
  views,
});

async function setUp(existing: StoredVersion[] = []) {
  const { sut, mocks } = await newTestService(ChunkWriterService);
  // What every chunk write does: read the stored versions, write, stage, settle, then ask for the finalize.
  const rows = mocks(EngagementRowsRepository);
  rows.versionsOf.mockResolvedValue(new Map(existing.map((v) => [v._id, v])));
  rows.insert.mockResolvedValue(undefined);
  rows.replace.mockResolvedValue(undefined);
  mocks(CampaignTotalsService).stageChunk.mockResolvedValue(undefined);
  mocks(IngestProgressRepository).chunkDone.mockResolvedValue(1);
  mocks(IngestJobRepository).started.mockResolvedValue(undefined);
  mocks(IngestJobRepository).recordFailure.mockResolvedValue(undefined);
  mocks(FinalizeService).finalizeIfSettled.mockResolvedValue(undefined);
  return {
    sut,
    rows: mocks(EngagementRowsRepository),
    totals: mocks(CampaignTotalsService),
    progress: mocks(IngestProgressRepository),
    jobs: mocks(IngestJobRepository),
    finalizer: mocks(FinalizeService),
  };
}

describe('ChunkWriterService', () => {
  it('stores the optional fields a row has and leaves out those it lacks', async () => {
    const { sut, rows } = await setUp();
    const full: PackedRow = [2, 'k1', 'c1', 'i1', 'p1', 'tiktok', '2024-05-01T12:30:00.000Z', 10, 1, 0, 100];
    await sut.write({ jobId: 'u1', uploadSeq: 5, index: 0, rows: [full, row(3, 'k2', 4)] });
    const [docs] = rows.insert.mock.calls[0];
    expect(docs[0]).toEqual({
      _id: 'k1',
      uploadSeq: 5,
      line: 2,
      campaignId: 'c1',
      influencerId: 'i1',
      postId: 'p1',
      platform: 'tiktok',
      postedAt: new Date('2024-05-01T12:30:00.000Z'),
      likes: 10,
      comments: 1,
      shares: 0,
      views: 100,
    });
    expect(Object.keys(docs[1]).sort()).toEqual([
      '_id',
      'campaignId',
      'comments',
      'influencerId',
      'likes',
      'line',
      'shares',
      'uploadSeq',
      'views',
    ]);
  });

  it('inserts new keys and stages what they add to their creator, all in one transaction', async () => {
    const { sut, rows, totals } = await setUp();
    await sut.write({ jobId: 'u1', uploadSeq: 5, index: 0, rows: [row(2, 'k1', 10), row(3, 'k2', 4, 50, 'i2')] });
    expect(rows.insert).toHaveBeenCalledWith(
      [expect.objectContaining({ _id: 'k1', uploadSeq: 5, line: 2 }), expect.objectContaining({ _id: 'k2' })],
      TEST_SESSION,
    );
    expect(rows.replace).toHaveBeenCalledWith([], TEST_SESSION);
    expect(totals.stageChunk).toHaveBeenCalledWith(
      'u1',
      0,
      [
        { campaignId: 'c1', influencerId: 'i1', likes: 10, comments: 1, shares: 0, views: 100, posts: 1 },
        { campaignId: 'c1', influencerId: 'i2', likes: 4, comments: 1, shares: 0, views: 50, posts: 1 },
      ],
      TEST_SESSION,
    );
  });

  it('replaces an older stored version and stages only the difference (no new post)', async () => {
    const { sut, rows, totals } = await setUp([stored('k1', 4, 9, 30, 300)]);
    await sut.write({ jobId: 'u1', uploadSeq: 5, index: 0, rows: [row(2, 'k1', 10, 100)] });
    expect(rows.replace).toHaveBeenCalledWith([expect.objectContaining({ _id: 'k1', likes: 10 })], TEST_SESSION);
    expect(totals.stageChunk.mock.calls[0][2]).toEqual([
      { campaignId: 'c1', influencerId: 'i1', likes: -20, comments: 0, shares: 0, views: -200, posts: 0 },
    ]);
  });

  it('changes nothing for a stored version that is the same or newer (a re-delivered chunk, a later upload)', async () => {
    const { sut, rows, totals } = await setUp([stored('k1', 5, 2, 10), stored('k2', 6, 1, 99)]);
    await sut.write({ jobId: 'u1', uploadSeq: 5, index: 0, rows: [row(2, 'k1', 10), row(3, 'k2', 4)] });
    expect(rows.insert).toHaveBeenCalledWith([], TEST_SESSION);
    expect(rows.replace).toHaveBeenCalledWith([], TEST_SESSION);
    expect(totals.stageChunk.mock.calls[0][2]).toEqual([]);
  });

  it('keeps the later line of a key that appears twice in the chunk', async () => {
    const { sut, rows } = await setUp();
    await sut.write({ jobId: 'u1', uploadSeq: 5, index: 0, rows: [row(2, 'k1', 10), row(7, 'k1', 3)] });
    expect(rows.insert).toHaveBeenCalledWith([expect.objectContaining({ _id: 'k1', line: 7, likes: 3 })], TEST_SESSION);
  });

  it('counts as written only the rows it stored, and the rows dropped as older versions apart', async () => {
    // k1 new, k2 older than stored (a later upload wrote it), k3 twice in the chunk (the earlier line dropped),
    // k4 stored by an earlier delivery of this very chunk (its own version: written, once).
    const { sut, progress } = await setUp([stored('k2', 6, 1, 99), stored('k4', 5, 9, 1)]);
    await sut.write({
      jobId: 'u1',
      uploadSeq: 5,
      index: 0,
      rows: [row(2, 'k1', 1), row(3, 'k2', 1), row(4, 'k3', 1), row(8, 'k3', 2), row(9, 'k4', 1)],
    });
    expect(progress.chunkDone).toHaveBeenCalledWith('u1', 0, { written: 3, superseded: 2 });
  });

  it('once the chunk is settled: marks the job started, then asks whether the upload is ready to finalize', async () => {
    const { sut, progress, jobs, finalizer } = await setUp();
    await sut.write({ jobId: 'u1', uploadSeq: 5, index: 3, rows: [row(2, 'k1', 1)] });
    expect(progress.chunkDone).toHaveBeenCalledWith('u1', 3, { written: 1, superseded: 0 });
    expect(jobs.started).toHaveBeenCalledWith('u1', expect.any(Date));
    expect(finalizer.finalizeIfSettled).toHaveBeenCalledWith('u1');
    expect(progress.chunkDone.mock.invocationCallOrder[0]).toBeLessThan(finalizer.finalizeIfSettled.mock.invocationCallOrder[0]);
  });

  it('gives a chunk up: the reason goes to the job, then the chunk counts as settled', async () => {
    const { sut, progress, jobs } = await setUp();
    await sut.giveUp('u1', 4, 'chunk 4 could not be written');
    expect(jobs.recordFailure).toHaveBeenCalledWith('u1', 'chunk 4 could not be written');
    expect(progress.chunkDone).toHaveBeenCalledWith('u1', 4, { written: 0, superseded: 0 });
  });

  it('orders versions by upload, then line, exactly at any size', () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(isNewer({ uploadSeq: big, line: 1 }, { uploadSeq: big - 1, line: 2 ** 40 })).toBe(true);
    expect(isNewer({ uploadSeq: big, line: 2 }, { uploadSeq: big, line: 1 })).toBe(true);
    expect(isNewer({ uploadSeq: big, line: 1 }, { uploadSeq: big, line: 1 })).toBe(false);
  });
});
