import { newTestService, TEST_SESSION } from '../../test/support/new-test-service';
import { CampaignTotalsRepository } from './campaign-totals.repository';
import { bucketOf, CampaignTotalsService } from './campaign-totals.service';
import { PendingChangesRepository } from './pending-changes.repository';
import { RankingCache } from './ranking-cache';
import { InfluencerTotals } from './schemas/influencer-totals.schema';
import { packChanges, PendingChange, unpackChanges } from './schemas/pending-change.schema';

const sums = (campaignId: string, influencerId: string, likes: number, views: number, posts = 1) => ({
  campaignId,
  influencerId,
  likes,
  comments: 0,
  shares: 0,
  views,
  posts,
});

async function setUp() {
  const { sut, mocks } = await newTestService(CampaignTotalsService);
  return { sut, repo: mocks(CampaignTotalsRepository), changes: mocks(PendingChangesRepository), cache: mocks(RankingCache) };
}

/** An upload whose staged changes (all of campaign c1) are `pending`, over the `stored` totals: what folding it reads and writes. */
async function setUpFold(pending: PendingChange[], stored: InfluencerTotals[] = []) {
  const s = await setUp();
  const b = bucketOf('c1');
  s.changes.notApplied.mockImplementation(async (_u, bucket) => (bucket === b ? pending : []));
  s.changes.appliedCampaigns.mockImplementation(async (_u, bucket) => (bucket === b && pending.length > 0 ? ['c1'] : []));
  s.changes.markApplied.mockResolvedValue(undefined);
  s.changes.dropApplied.mockResolvedValue(undefined);
  s.repo.totalsByIds.mockResolvedValue(stored);
  s.repo.summariesByIds.mockResolvedValue(stored.length ? [{ _id: 'c1', influencers: 1, posts: 2, updatedAt: new Date(0) }] : []);
  s.repo.save.mockResolvedValue(undefined);
  s.cache.invalidate.mockResolvedValue(undefined);
  return s;
}

describe('CampaignTotalsService', () => {
  it("stages a chunk's changes summed per creator, one document per bucket of campaigns", async () => {
    const { sut, changes } = await setUp();
    changes.add.mockResolvedValue(undefined);
    await sut.stageChunk('u1', 4, [sums('c1', 'a', 1, 10), sums('c1', 'a', 2, 20), sums('c1', 'b', 5, 5, 0)], TEST_SESSION);
    const [docs, session] = changes.add.mock.calls[0];
    expect(session).toBe(TEST_SESSION);
    expect(docs.map((d) => d._id)).toEqual([PendingChangesRepository.id('u1', bucketOf('c1'), 4)]);
    expect(unpackChanges(docs[0])).toEqual([sums('c1', 'a', 3, 30, 2), sums('c1', 'b', 5, 5, 0)]);
  });

  it('stages nothing for a newer version with the same figures (a file uploaded again)', async () => {
    const { sut, changes } = await setUp();
    changes.add.mockResolvedValue(undefined);
    await sut.stageChunk('u1', 0, [{ ...sums('c1', 'a', 0, 0), posts: 0 }, sums('c2', 'b', 0, 0)], TEST_SESSION);
    const [docs] = changes.add.mock.calls[0];
    expect(docs.flatMap(unpackChanges)).toEqual([sums('c2', 'b', 0, 0)]);
  });

  it('stops folding at the first failed bucket, once the buckets under way have finished', async () => {
    const { sut, changes } = await setUp();
    let slowBucketDone = false;
    changes.notApplied.mockImplementation(async (_u, bucket) => {
      if (bucket === 0) throw new Error('write conflict');
      if (bucket === 1) {
        await new Promise((r) => setTimeout(r, 20));
        slowBucketDone = true;
      }
      return [];
    });
    changes.appliedCampaigns.mockResolvedValue([]);
    await expect(sut.applyUpload('u1')).rejects.toThrow('write conflict');
    expect(slowBucketDone).toBe(true);
    expect(changes.notApplied.mock.calls.length).toBeLessThan(32);
  });

  it('packs changes losslessly, negative and large figures too', () => {
    const big = { campaignId: 'c\u00e9', influencerId: 'i:1', likes: -7, comments: 2 ** 53 - 1, shares: 0, views: -1e9, posts: 1 };
    const doc = packChanges('u1:00:0', [big]);
    // Through BSON and back, as the database returns it.
    const { deserialize, serialize } = jest.requireActual<typeof import('bson')>('bson');
    const stored = deserialize(serialize(doc)) as PendingChange;
    expect(unpackChanges(stored)).toEqual([big]);
  });

  it('adds staged changes to stored totals, creates new creators, keeps the campaign summary, then invalidates', async () => {
    const known: InfluencerTotals = { _id: 'c1\u0001a', ...sums('c1', 'a', 10, 100, 2), engagementRate: 0.1 };
    const pending = [packChanges('u1:x:0', [{ ...sums('c1', 'a', 5, -50), posts: 0 }]), packChanges('u1:x:1', [sums('c1', 'b', 1, 4)])];
    const { sut, repo, changes, cache } = await setUpFold(pending, [known]);
    expect(await sut.applyUpload('u1')).toEqual({ campaigns: 1 });
    const [totals, summaries, session] = repo.save.mock.calls[0];
    expect(session).toBe(TEST_SESSION);
    expect(totals.known).toEqual([expect.objectContaining({ _id: 'c1\u0001a', likes: 15, views: 50, posts: 2, engagementRate: 0.3 })]);
    expect(totals.fresh).toEqual([expect.objectContaining({ _id: 'c1\u0001b', likes: 1, views: 4, posts: 1, engagementRate: 0.25 })]);
    expect(summaries.known).toEqual([expect.objectContaining({ _id: 'c1', influencers: 2, posts: 3 })]);
    expect(changes.markApplied).toHaveBeenCalledWith(['u1:x:0', 'u1:x:1'], TEST_SESSION);
    expect(cache.invalidate).toHaveBeenCalledWith(['c1']);
    expect(cache.invalidate.mock.invocationCallOrder[0]).toBeLessThan(changes.dropApplied.mock.invocationCallOrder[0]);
  });

  it('keeps applied changes until their rankings are invalidated, so a retry invalidates without adding again', async () => {
    const { sut, repo, changes, cache } = await setUpFold([packChanges('u1:x:0', [sums('c1', 'a', 1, 1)])]);
    cache.invalidate.mockRejectedValueOnce(new Error('Redis down'));
    await expect(sut.applyUpload('u1')).rejects.toThrow('Redis down');
    expect(changes.dropApplied).not.toHaveBeenCalled();
    changes.notApplied.mockResolvedValue([]); // now marked applied
    await sut.applyUpload('u1');
    expect(repo.save).toHaveBeenCalledTimes(1);
    expect(cache.invalidate).toHaveBeenCalledTimes(2);
    expect(changes.dropApplied).toHaveBeenCalled();
  });

  it('spreads campaigns over buckets the same way in every process', () => {
    expect(bucketOf('campaign_1')).toBe(bucketOf('campaign_1'));
    const seen = new Set(Array.from({ length: 1000 }, (_, i) => bucketOf(`campaign_${i}`)));
    expect(seen.size).toBe(32);
  });
});
