import { Injectable } from '@nestjs/common';
import { CampaignTotalsService } from '../analytics/campaign-totals.service';
import { engagementRate, pairId, PairSums } from '../analytics/pair-sums';
import { EngagementRowsRepository } from './engagement-rows.repository';

interface TotalsDifference {
  campaignId: string;
  /** null: the campaign's summary (GET /campaigns) rather than one creator. */
  influencerId: string | null;
  field: string;
  stored: number | null;
  fromRows: number | null;
}

interface TotalsAudit {
  campaigns: number;
  creators: number;
  differences: TotalsDifference[];
  /** Some upload's changes are not folded in yet: its campaigns' totals lag their rows until it ends. */
  uploadsInFlight: boolean;
}

const FIELDS = ['likes', 'comments', 'shares', 'views', 'posts'] as const;

/**
 * The full check of the incremental totals: recomputes every (campaign, creator) total from
 * the stored rows and compares it with what analytics serves, figure by figure, and each
 * campaign's summary too. `npm run totals:verify`; the e2e suites run it after uploads and
 * after every fault drill.
 */
@Injectable()
export class TotalsAuditService {
  constructor(
    private readonly rows: EngagementRowsRepository,
    private readonly totals: CampaignTotalsService,
  ) {}

  async verify(campaignIds?: string[]): Promise<TotalsAudit> {
    const campaigns = campaignIds ?? (await this.totals.campaignIds());
    const fromRows = new Map<string, PairSums>();
    for await (const s of this.rows.sumsByPair(campaigns)) fromRows.set(pairId(s), s);
    const stored = await this.totals.storedTotals(campaigns);
    const differences: TotalsDifference[] = [];
    const differ = (campaignId: string, influencerId: string | null, field: string, s: number | null, r: number | null) => {
      if (s !== r) differences.push({ campaignId, influencerId, field, stored: s, fromRows: r });
    };

    const seen = new Set<string>();
    for (const t of stored.totals) {
      const id = pairId(t);
      seen.add(id);
      const r = fromRows.get(id);
      for (const f of FIELDS) differ(t.campaignId, t.influencerId, f, t[f], r?.[f] ?? null);
      differ(t.campaignId, t.influencerId, 'engagementRate', t.engagementRate, r ? engagementRate(r) : null);
    }
    for (const [id, r] of fromRows) if (!seen.has(id)) differ(r.campaignId, r.influencerId, 'posts', null, r.posts);

    const perCampaign = new Map<string, { influencers: number; posts: number }>();
    for (const r of fromRows.values()) {
      const c = perCampaign.get(r.campaignId) ?? { influencers: 0, posts: 0 };
      c.influencers += 1;
      c.posts += r.posts;
      perCampaign.set(r.campaignId, c);
    }
    const summaries = new Map(stored.summaries.map((s) => [s._id, s]));
    for (const c of new Set([...perCampaign.keys(), ...summaries.keys()])) {
      differ(c, null, 'influencers', summaries.get(c)?.influencers ?? null, perCampaign.get(c)?.influencers ?? null);
      differ(c, null, 'posts', summaries.get(c)?.posts ?? null, perCampaign.get(c)?.posts ?? null);
    }
    return { campaigns: campaigns.length, creators: fromRows.size, differences, uploadsInFlight: await this.totals.hasPendingChanges() };
  }
}
