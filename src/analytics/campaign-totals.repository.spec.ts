import { MongooseModule } from '@nestjs/mongoose';
import type { TestingModule } from '@nestjs/testing';
import type { Db } from 'mongodb';
import { repositoryModule } from '../../test/support/repository-module';
import { Transactions } from '../core/database/transactions';
import { CampaignTotalsRepository } from './campaign-totals.repository';
import { engagementRate, pairId, PairSums } from './pair-sums';
import { CampaignSummary, CampaignSummarySchema, InfluencerTotals, InfluencerTotalsSchema } from './schemas/influencer-totals.schema';

const totals = (campaignId: string, influencerId: string, likes: number, views = 100, posts = 1): InfluencerTotals => {
  const s: PairSums = { campaignId, influencerId, likes, comments: 0, shares: 0, views, posts };
  return { _id: pairId(s), ...s, engagementRate: engagementRate(s) };
};
const summary = (_id: string, influencers = 1, posts = 1): CampaignSummary => ({
  _id,
  influencers,
  posts,
  updatedAt: new Date('2025-01-01T00:00:00Z'),
});
const none = { fresh: [], known: [] };

describe('CampaignTotalsRepository (real database)', () => {
  let moduleRef: TestingModule;
  let db: Db;
  let repo: CampaignTotalsRepository;
  let tx: Transactions;

  beforeAll(async () => {
    ({ moduleRef, db } = await repositoryModule('totals_repo', {
      imports: [
        MongooseModule.forFeature([
          { name: InfluencerTotals.name, schema: InfluencerTotalsSchema },
          { name: CampaignSummary.name, schema: CampaignSummarySchema },
        ]),
      ],
      providers: [CampaignTotalsRepository],
    }));
    repo = moduleRef.get(CampaignTotalsRepository);
    tx = moduleRef.get(Transactions);
  });
  afterAll(() => moduleRef?.close());
  beforeEach(() => Promise.all(['influencer_totals', 'campaign_summaries'].map((c) => db.collection(c).deleteMany({}))));

  const save = (
    t: { fresh: InfluencerTotals[]; known: InfluencerTotals[] },
    s: { fresh: CampaignSummary[]; known: CampaignSummary[] } = none,
  ) => tx.run((session) => repo.save(t, s, session));

  it('inserts fresh totals and summaries, replaces known ones whole, all in the transaction', async () => {
    await save({ fresh: [totals('c1', 'a', 1), totals('c1', 'b', 2)], known: [] }, { fresh: [summary('c1', 2, 2)], known: [] });
    await save({ fresh: [totals('c1', 'c', 3)], known: [totals('c1', 'a', 10, 50, 2)] }, { fresh: [], known: [summary('c1', 3, 4)] });
    expect(
      await repo.totalsByIds([pairId({ campaignId: 'c1', influencerId: 'a' }), pairId({ campaignId: 'c1', influencerId: 'c' })]),
    ).toEqual([totals('c1', 'a', 10, 50, 2), totals('c1', 'c', 3)]);
    expect(await repo.summariesByIds(['c1', 'c9'])).toEqual([summary('c1', 3, 4)]);

    // A unit that fails after saving leaves nothing of it.
    await expect(
      tx.run(async (session) => {
        await repo.save({ fresh: [totals('c2', 'a', 1)], known: [totals('c1', 'a', 99)] }, { fresh: [summary('c2')], known: [] }, session);
        throw new Error('the bucket failed after its writes');
      }),
    ).rejects.toThrow('the bucket failed');
    expect(await repo.totalsOfCampaigns(['c2'])).toEqual([]);
    expect((await repo.totalsByIds([pairId({ campaignId: 'c1', influencerId: 'a' })]))[0].likes).toBe(10);
    expect(await repo.summariesByIds(['c2'])).toEqual([]);
  });

  it('refuses a fresh creator that is stored already (the fold read it in the same transaction: a race retries)', async () => {
    await save({ fresh: [totals('c1', 'a', 1)], known: [] });
    await expect(save({ fresh: [totals('c1', 'a', 5)], known: [] })).rejects.toMatchObject({ code: 11000 });
    expect((await repo.totalsOfCampaigns(['c1']))[0].likes).toBe(1);
  });

  it('reads totals by id, within a session too, and by campaign; lists every campaign with totals', async () => {
    await save(
      { fresh: [totals('c1', 'a', 1), totals('c1', 'b', 2), totals('c2', 'a', 3)], known: [] },
      { fresh: [summary('c1', 2, 2), summary('c2')], known: [] },
    );
    const ids = [pairId({ campaignId: 'c2', influencerId: 'a' }), pairId({ campaignId: 'c1', influencerId: 'b' }), 'c3\u0001x'];
    const inSession = await tx.run((s) => repo.totalsByIds(ids, s));
    expect(inSession.map((t) => t._id).sort()).toEqual([ids[1], ids[0]].sort());
    expect((await repo.totalsOfCampaigns(['c1'])).map((t) => t.influencerId).sort()).toEqual(['a', 'b']);
    expect((await repo.campaignIds()).sort()).toEqual(['c1', 'c2']);
  });

  it("ranks a campaign's creators by engagement rate, ties by influencerId in binary order, the first `limit`", async () => {
    await save({
      fresh: [
        totals('c1', 'low', 1),
        totals('c1', 'b', 50),
        totals('c1', 'B', 50), // 'B' sorts before 'b' in binary order
        totals('c1', 'a', 50),
        totals('c1', 'top', 90),
        totals('c2', 'other', 100),
      ],
      known: [],
    });
    const top = await repo.top('c1', 4);
    expect(top.map((r) => r.influencerId)).toEqual(['top', 'B', 'a', 'b']);
    expect(top[0]).toEqual({ influencerId: 'top', engagementRate: 0.9, likes: 90, comments: 0, shares: 0, views: 100, posts: 1 });
    expect(await repo.top('c1', 10)).toHaveLength(5);
    expect(await repo.top('nope', 10)).toEqual([]);
  });

  it('keeps the index the ranking is read by: campaign, then rate descending, then influencerId', async () => {
    const indexes = await db.collection('influencer_totals').indexes();
    expect(indexes.find((i) => i.name === 'top_performers')?.key).toEqual({ campaignId: 1, engagementRate: -1, influencerId: 1 });
  });

  it('pages campaigns in natural order (campaign_2 before campaign_10), every campaign exactly once', async () => {
    const ids = ['campaign_10', 'campaign_2', 'campaign_1', 'c02', 'c2', 'campaign_20', 'b'];
    await save(none, { fresh: ids.map((id) => summary(id)), known: [] });
    const pages = [];
    for (let page = 1; page <= 3; page++) pages.push(await repo.campaignsPage(page, 3));
    expect(pages.map((p) => p.total)).toEqual([7, 7, 7]);
    const order = pages.flatMap((p) => p.items.map((s) => s._id));
    expect(order).toEqual(['b', 'c02', 'c2', 'campaign_1', 'campaign_2', 'campaign_10', 'campaign_20']);
    expect(pages[0].items[0]).toEqual(summary('b'));
    expect(await repo.campaignsPage(4, 3)).toEqual({ items: [], total: 7 });
  });
});
