import { Injectable, Logger } from '@nestjs/common';
import type { ClientSession } from 'mongodb';
import { Transactions } from '../core/database/transactions';
import { CampaignTotalsRepository } from './campaign-totals.repository';
import { engagementRate, pairId, PairSums } from './pair-sums';
import { BUCKETS, PendingChangesRepository } from './pending-changes.repository';
import { RankingCache } from './ranking-cache';
import { addFigures } from './scoring';
import { CampaignSummary, InfluencerTotals } from './schemas/influencer-totals.schema';
import { packChanges, unpackChanges } from './schemas/pending-change.schema';

/** FNV-1a: a stable spread of campaigns over buckets, the same in every process. */
export function bucketOf(campaignId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < campaignId.length; i++) h = Math.imul(h ^ campaignId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % BUCKETS;
}

/**
 * Buckets folded at once. Each bucket is its own transaction over its own campaigns, so
 * they never conflict with each other; overlapping them keeps the database's cores busy
 * while a bucket waits on a round trip. Measured (10k rows into 1,000 campaigns): the
 * fold of a 1M-row database 1.5–1.7 s → 0.7–1.3 s with 4, of an empty one 0.76 → 0.6 s;
 * 8 gained nothing more (docs/data-model.md).
 */
const FOLD_LANES = 4;

/** Sums changes per pair. */
function fold(changes: Iterable<PairSums>): Map<string, PairSums> {
  const byPair = new Map<string, PairSums>();
  for (const c of changes) {
    const id = pairId(c);
    const into = byPair.get(id);
    if (into) addFigures(into, c);
    else byPair.set(id, { ...c });
  }
  return byPair;
}

/** A newer version with the same figures (a file uploaded again) leaves the totals as they are. */
const changesNothing = (c: PairSums) => c.likes === 0 && c.comments === 0 && c.shares === 0 && c.views === 0 && c.posts === 0;

/**
 * The totals of analytics, kept incrementally. A chunk's transaction stages what it changes
 * (stageChunk); when its upload ends, the upload's changes are folded into the totals one
 * bucket of campaigns per transaction (applyUpload). Folding a whole upload before writing
 * turns a million rows of a thousand campaigns into at most one write per creator of each
 * campaign (docs/data-model.md has the counts). Changes add up, so uploads can be applied
 * in any order and at the same time; a campaign lives in one bucket, so its ranking moves
 * from one consistent state to the next.
 */
@Injectable()
export class CampaignTotalsService {
  private readonly logger = new Logger(CampaignTotalsService.name);

  constructor(
    private readonly repository: CampaignTotalsRepository,
    private readonly pending: PendingChangesRepository,
    private readonly cache: RankingCache,
    private readonly transactions: Transactions,
  ) {}

  /** Called inside the chunk's transaction: its changes land with its rows or not at all. */
  async stageChunk(jobId: string, chunk: number, changes: PairSums[], session: ClientSession): Promise<void> {
    const byBucket = new Map<number, PairSums[]>();
    for (const c of fold(changes).values()) {
      if (changesNothing(c)) continue;
      const b = bucketOf(c.campaignId);
      const list = byBucket.get(b) ?? [];
      list.push(c);
      byBucket.set(b, list);
    }
    const docs = [...byBucket].map(([b, list]) => packChanges(PendingChangesRepository.id(jobId, b, chunk), list));
    await this.pending.add(docs, session);
  }

  /**
   * Folds an upload's staged changes into the totals. Safe to repeat after any failure. A
   * failed bucket stops the lanes from starting more; the ones under way finish before the
   * error is thrown, so a retry never overlaps this attempt.
   */
  async applyUpload(jobId: string): Promise<{ campaigns: number }> {
    const buckets = Array.from({ length: BUCKETS }, (_, b) => b);
    let campaigns = 0;
    let failure: { reason: unknown } | undefined;
    const lane = async () => {
      for (let b = buckets.shift(); b !== undefined && !failure; b = buckets.shift()) {
        try {
          // Not `campaigns += await …`: that reads the sum before the wait, losing other lanes' counts.
          const applied = await this.applyBucket(jobId, b);
          campaigns += applied;
        } catch (reason) {
          failure ??= { reason };
        }
      }
    };
    await Promise.all(Array.from({ length: FOLD_LANES }, lane));
    if (failure) throw failure.reason;
    return { campaigns };
  }

  private async applyBucket(jobId: string, bucket: number): Promise<number> {
    await this.transactions.run(async (session) => {
      const docs = await this.pending.notApplied(jobId, bucket, session);
      if (docs.length === 0) return;
      await this.addToTotals(fold(docs.flatMap(unpackChanges)), session);
      await this.pending.markApplied(
        docs.map((d) => d._id),
        session,
      );
    });
    // After the commit: a reader that cached the old ranking in between files it under the
    // version this bumps. A failure here leaves the changes marked applied, so a retry of
    // the upload's finalize still invalidates them.
    const campaigns = await this.pending.appliedCampaigns(jobId, bucket);
    if (campaigns.length === 0) return 0;
    await this.cache.invalidate(campaigns);
    await this.pending.dropApplied(jobId, bucket);
    return campaigns.length;
  }

  private async addToTotals(changes: Map<string, PairSums>, session: ClientSession): Promise<void> {
    const stored = new Map((await this.repository.totalsByIds([...changes.keys()], session)).map((t) => [t._id, t]));
    const totals = { fresh: [] as InfluencerTotals[], known: [] as InfluencerTotals[] };
    const perCampaign = new Map<string, { influencers: number; posts: number }>();
    for (const [id, change] of changes) {
      const before = stored.get(id);
      const sums: PairSums = before ? { ...pick(before) } : { ...change, likes: 0, comments: 0, shares: 0, views: 0, posts: 0 };
      addFigures(sums, change);
      (before ? totals.known : totals.fresh).push({ _id: id, ...sums, engagementRate: engagementRate(sums) });
      const c = perCampaign.get(change.campaignId) ?? { influencers: 0, posts: 0 };
      c.influencers += before ? 0 : 1;
      c.posts += change.posts;
      perCampaign.set(change.campaignId, c);
    }
    const now = new Date();
    const storedSummaries = new Map((await this.repository.summariesByIds([...perCampaign.keys()], session)).map((s) => [s._id, s]));
    const summaries = { fresh: [] as CampaignSummary[], known: [] as CampaignSummary[] };
    for (const [campaignId, c] of perCampaign) {
      const before = storedSummaries.get(campaignId);
      const next = {
        _id: campaignId,
        influencers: (before?.influencers ?? 0) + c.influencers,
        posts: (before?.posts ?? 0) + c.posts,
        updatedAt: now,
      };
      (before ? summaries.known : summaries.fresh).push(next);
    }
    await this.repository.save(totals, summaries, session);
    this.logger.debug(`totals: ${changes.size} creator(s) of ${perCampaign.size} campaign(s) updated`);
  }

  /** Totals and summaries as stored, for the audit. */
  async storedTotals(campaignIds: string[]): Promise<{ totals: InfluencerTotals[]; summaries: CampaignSummary[] }> {
    const [totals, summaries] = await Promise.all([
      this.repository.totalsOfCampaigns(campaignIds),
      this.repository.summariesByIds(campaignIds),
    ]);
    return { totals, summaries };
  }

  campaignIds(): Promise<string[]> {
    return this.repository.campaignIds();
  }

  /** Uploads whose staged changes are not all folded in yet. */
  uploadsWithPendingChanges(): Promise<string[]> {
    return this.pending.uploads();
  }

  hasPendingChanges(): Promise<boolean> {
    return this.pending.hasAny();
  }
}

const pick = (t: InfluencerTotals): PairSums => ({
  campaignId: t.campaignId,
  influencerId: t.influencerId,
  likes: t.likes,
  comments: t.comments,
  shares: t.shares,
  views: t.views,
  posts: t.posts,
});
