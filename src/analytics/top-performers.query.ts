import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { CampaignPageDto, TopPerformerDto } from './dto/top-performer.dto';
import { decodeRanking, encodeRanking } from './ranking-codec';
import { RankingCache } from './ranking-cache';
import { CampaignRanking } from './schemas/campaign-ranking.schema';

const CONNECTION_ERRORS = new Set(['MongoServerSelectionError', 'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoNotConnectedError', 'MongoTopologyClosedError']);

/** A database that cannot be reached is a 503 with a clear message, not a hang or a 500. */
function unavailable(err: unknown): never {
  const name = (err as Error)?.name ?? '';
  const disconnected = CONNECTION_ERRORS.has(name) || /buffering timed out|not connected|connection .* closed/i.test((err as Error)?.message ?? '');
  if (disconnected) throw new ServiceUnavailableException('The database is unavailable; try again shortly');
  throw err;
}

/** Reads of the ranking read model. */
@Injectable()
export class TopPerformersQuery {
  constructor(
    @InjectModel(CampaignRanking.name) private readonly rankings: Model<CampaignRanking>,
    private readonly cache: RankingCache,
  ) {}

  async top(campaignId: string, limit: number): Promise<TopPerformerDto[]> {
    const id = String(campaignId);
    const cached = await this.cache.get(id);
    let top = cached?.top;
    if (top === undefined) {
      // campaignId is a validated string and goes in as a literal _id, never as an operator.
      const doc = await this.rankings.findById(id, { top: 1 }).lean().catch(unavailable);
      const stored = doc?.top;
      top = stored === undefined ? null : typeof stored === 'string' ? stored : encodeRanking(decodeRanking(stored));
      if (cached) this.cache.fill(cached.version, id, top);
    }
    if (top === null) return [];
    return decodeRanking(top, limit).map((t, i) => ({ rank: i + 1, campaignId: id, ...t }));
  }

  async campaigns(page: number, pageSize: number): Promise<CampaignPageDto> {
    const [docs, total] = await Promise.all([
      this.rankings
        .find({}, { _id: 1, influencers: 1, posts: 1, updatedAt: 1 })
        .sort({ _id: 1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean(),
      this.rankings.estimatedDocumentCount(),
    ]).catch(unavailable);
    return {
      items: docs.map((d) => ({ campaignId: d._id, influencers: d.influencers, rows: d.posts, updatedAt: d.updatedAt! })),
      page,
      pageSize,
      total,
    };
  }
}
