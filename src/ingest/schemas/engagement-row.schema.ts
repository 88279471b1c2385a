import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One document per row key, holding the version that counts. `_id` is the row key; a
 * version is ordered by (uploadSeq, line): the later upload, then the later line of the
 * file. Two exact integers rather than one packed number, so the order cannot overflow
 * however many uploads there are. Owned by ingest (EngagementRowsRepository).
 */
@Schema({ collection: 'engagement_rows', versionKey: false })
export class EngagementRowDoc {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) uploadSeq!: number;
  @Prop({ required: true }) line!: number;
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

// The ingest path reads and writes by _id only, and totals are kept incrementally
// (docs/data-model.md); the audit (TotalsAuditService) scans. One secondary index serves
// analytics' slices (a campaign, a platform, a postedAt range), aggregated per request.
export const EngagementRowSchema = SchemaFactory.createForClass(EngagementRowDoc);
EngagementRowSchema.index({ campaignId: 1, platform: 1, postedAt: 1 }, { name: 'slices' });
