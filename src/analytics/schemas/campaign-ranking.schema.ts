import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** Max `limit` of /top-performers: the read model keeps exactly this many ranked creators. */
export const RANKING_DEPTH = 100;

export class RankedInfluencer {
  influencerId!: string;
  engagementRate!: number;
  likes!: number;
  comments!: number;
  shares!: number;
  views!: number;
  posts!: number;
}

/**
 * Per-campaign read model behind GET /top-performers: the ranked head of the campaign,
 * rebuilt by ingest for every campaign an upload touches. Keyed by campaignId so a read
 * is a primary-key lookup on MongoDB and FerretDB alike (FerretDB 1.x/SQLite pushes
 * down nothing but `_id` equality).
 */
@Schema({ collection: 'campaign_rankings', versionKey: false, timestamps: { createdAt: false, updatedAt: true } })
export class CampaignRanking {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  influencers!: number;

  @Prop({ required: true })
  posts!: number;

  /**
   * The first RANKING_DEPTH creators in rank order, as ranking-codec's compact JSON text
   * (rankings stored before it, as arrays of objects, still read).
   */
  @Prop({ type: Object, required: true })
  top!: string | RankedInfluencer[];

  updatedAt?: Date;
}

export const CampaignRankingSchema = SchemaFactory.createForClass(CampaignRanking);
