import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Per (campaign, influencer) totals over the rows that count, with their engagement rate,
 * kept up to date by CampaignTotalsService as uploads land. `_id` = pairId().
 */
@Schema({ collection: 'influencer_totals', versionKey: false })
export class InfluencerTotals {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) campaignId!: string;
  @Prop({ required: true }) influencerId!: string;
  @Prop({ required: true }) likes!: number;
  @Prop({ required: true }) comments!: number;
  @Prop({ required: true }) shares!: number;
  @Prop({ required: true }) views!: number;
  @Prop({ required: true }) posts!: number;
  /** (likes + comments + shares) / views, a plain fraction. */
  @Prop({ required: true }) engagementRate!: number;
}

export const InfluencerTotalsSchema = SchemaFactory.createForClass(InfluencerTotals);
/** Serves GET /top-performers: equality on the campaign, then the ranking order itself. */
const TOP_PERFORMERS_INDEX = { campaignId: 1, engagementRate: -1, influencerId: 1 } as const;
InfluencerTotalsSchema.index(TOP_PERFORMERS_INDEX, { name: 'top_performers' });

/** One campaign's headline figures for GET /campaigns, kept with its totals. */
@Schema({ collection: 'campaign_summaries', versionKey: false })
export class CampaignSummary {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) influencers!: number;
  @Prop({ required: true }) posts!: number;
  @Prop({ required: true }) updatedAt!: Date;
}

export const CampaignSummarySchema = SchemaFactory.createForClass(CampaignSummary);
