import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The data shared by two modules: ingest writes engagement rows, analytics aggregates them
 * into totals. One document per row key, holding the version that counts: `_id` is the
 * row key, `seq` orders versions (uploadSeq * 2^32 + line: the later upload, then the
 * later line), and a write only replaces a document whose `seq` is lower.
 */
export const ENGAGEMENT_ROWS = 'engagement_rows';

@Schema({ collection: ENGAGEMENT_ROWS, versionKey: false })
export class EngagementRowDoc {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) seq!: number;
  @Prop({ required: true }) campaignId!: string;
  @Prop({ required: true }) influencerId!: string;
  @Prop() postId?: string;
  @Prop() platform?: string;
  @Prop() postedAt?: Date;
  @Prop({ required: true }) likes!: number;
  @Prop({ required: true }) comments!: number;
  @Prop({ required: true }) shares!: number;
  @Prop({ required: true }) views!: number;
}

export const EngagementRowSchema = SchemaFactory.createForClass(EngagementRowDoc);
/** Serves the totals rebuild of a set of campaigns (`campaignId $in`). */
export const ROWS_BY_CAMPAIGN_INDEX = { campaignId: 1 } as const;
EngagementRowSchema.index(ROWS_BY_CAMPAIGN_INDEX, { name: 'rows_by_campaign' });
