import { newTestService } from '../../test/support/new-test-service';
import { CampaignTotalsService } from '../analytics/campaign-totals.service';
import { engagementRate, pairId, PairSums } from '../analytics/pair-sums';
import { CampaignSummary, InfluencerTotals } from '../analytics/schemas/influencer-totals.schema';
import { EngagementRowsRepository } from './engagement-rows.repository';
import { TotalsAuditService } from './totals-audit.service';

const sums = (campaignId: string, influencerId: string, likes: number, views: number, posts: number): PairSums => ({
  campaignId,
  influencerId,
  likes,
  comments: 2,
  shares: 1,
  views,
  posts,
});
/** Totals as CampaignTotalsService stores them for `s`. */
const stored = (s: PairSums): InfluencerTotals => ({ _id: pairId(s), ...s, engagementRate: engagementRate(s) });
const summary = (_id: string, influencers: number, posts: number): CampaignSummary => ({ _id, influencers, posts, updatedAt: new Date(0) });

async function* stream(rows: PairSums[]): AsyncIterable<PairSums> {
  yield* rows;
}

/** An audit of the campaigns `ids` whose rows sum to `fromRows` and whose served totals are `totals`/`summaries`. */
async function setUp(fromRows: PairSums[], totals: InfluencerTotals[], summaries: CampaignSummary[], inFlight = false) {
  const { sut, mocks } = await newTestService(TotalsAuditService);
  const rows = mocks(EngagementRowsRepository);
  rows.sumsByPair.mockImplementation(() => stream(fromRows));
  const served = mocks(CampaignTotalsService);
  served.storedTotals.mockResolvedValue({ totals, summaries });
  served.hasPendingChanges.mockResolvedValue(inFlight);
  return { sut, rows, served };
}

const A = sums('c1', 'a', 10, 100, 2);
const B = sums('c1', 'b', 4, 50, 1);
const C = sums('c2', 'a', 0, 9, 1);

describe('TotalsAuditService.verify', () => {
  it('finds no difference when every served total and summary equals the sums of the rows', async () => {
    const { sut, rows, served } = await setUp([A, B, C], [stored(A), stored(B), stored(C)], [summary('c1', 2, 3), summary('c2', 1, 1)]);
    served.campaignIds.mockResolvedValue(['c1', 'c2']);
    expect(await sut.verify()).toEqual({ campaigns: 2, creators: 3, differences: [], uploadsInFlight: false });
    // Without a list, every campaign with totals is audited, rows and totals of the same campaigns.
    expect(rows.sumsByPair).toHaveBeenCalledWith(['c1', 'c2']);
    expect(served.storedTotals).toHaveBeenCalledWith(['c1', 'c2']);
  });

  it('audits only the campaigns it is given', async () => {
    const { sut, rows, served } = await setUp([C], [stored(C)], [summary('c2', 1, 1)]);
    expect(await sut.verify(['c2'])).toMatchObject({ campaigns: 1, creators: 1, differences: [] });
    expect(rows.sumsByPair).toHaveBeenCalledWith(['c2']);
    expect(served.campaignIds).not.toHaveBeenCalled();
  });

  it('names each figure of a creator that differs from its rows, with both values', async () => {
    // Likes off by one; the stored rate is right: only the likes differ.
    const { sut } = await setUp(
      [A, B],
      [
        { ...stored(A), likes: 11 },
        { ...stored(B), engagementRate: 0.5 },
      ],
      [summary('c1', 2, 3)],
    );
    const { differences } = await sut.verify(['c1']);
    expect(differences).toEqual([
      { campaignId: 'c1', influencerId: 'a', field: 'likes', stored: 11, fromRows: 10 },
      { campaignId: 'c1', influencerId: 'b', field: 'engagementRate', stored: 0.5, fromRows: engagementRate(B) },
    ]);
  });

  it('reports a creator with rows but no totals, and its campaign summary short of it', async () => {
    const { sut } = await setUp([A, B], [stored(A)], [summary('c1', 1, 2)]);
    expect((await sut.verify(['c1'])).differences).toEqual([
      { campaignId: 'c1', influencerId: 'b', field: 'posts', stored: null, fromRows: 1 },
      { campaignId: 'c1', influencerId: null, field: 'influencers', stored: 1, fromRows: 2 },
      { campaignId: 'c1', influencerId: null, field: 'posts', stored: 2, fromRows: 3 },
    ]);
  });

  it('reports totals and a summary left over with no rows behind them, figure by figure', async () => {
    const { sut } = await setUp([], [stored(C)], [summary('c2', 1, 1)]);
    const audit = await sut.verify(['c2']);
    expect(audit.creators).toBe(0);
    expect(audit.differences).toEqual([
      { campaignId: 'c2', influencerId: 'a', field: 'likes', stored: 0, fromRows: null },
      { campaignId: 'c2', influencerId: 'a', field: 'comments', stored: 2, fromRows: null },
      { campaignId: 'c2', influencerId: 'a', field: 'shares', stored: 1, fromRows: null },
      { campaignId: 'c2', influencerId: 'a', field: 'views', stored: 9, fromRows: null },
      { campaignId: 'c2', influencerId: 'a', field: 'posts', stored: 1, fromRows: null },
      { campaignId: 'c2', influencerId: 'a', field: 'engagementRate', stored: engagementRate(C), fromRows: null },
      { campaignId: 'c2', influencerId: null, field: 'influencers', stored: 1, fromRows: null },
      { campaignId: 'c2', influencerId: null, field: 'posts', stored: 1, fromRows: null },
    ]);
  });

  it('reports a campaign whose summary is missing', async () => {
    const { sut } = await setUp([A, B], [stored(A), stored(B)], []);
    expect((await sut.verify(['c1'])).differences).toEqual([
      { campaignId: 'c1', influencerId: null, field: 'influencers', stored: null, fromRows: 2 },
      { campaignId: 'c1', influencerId: null, field: 'posts', stored: null, fromRows: 3 },
    ]);
  });

  it('says when uploads are still in flight (their campaigns lag their rows until they end)', async () => {
    const { sut } = await setUp([C], [stored(C)], [summary('c2', 1, 1)], true);
    expect(await sut.verify(['c2'])).toMatchObject({ differences: [], uploadsInFlight: true });
  });
});
