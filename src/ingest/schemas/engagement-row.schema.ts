import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One accepted CSV row, append-only. `_id` is `<uploadId>:<line>`, so a re-delivered
 * chunk hits duplicate keys instead of writing twice. Which row counts for a key is
 * decided when totals are computed: the highest `seq` (upload order, then line) wins.
 * (Append-only because FerretDB 1.x/SQLite runs every update as a collection scan.)
 */
@Schema({ collection: 'engagement_rows', versionKey: false })
export class EngagementRowDoc {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) uploadId!: string;
  /** uploadSeq * 2^32 + line. */
  @Prop({ required: true }) seq!: number;
  @Prop({ required: true }) key!: string;
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
// Its index is created by EngagementRowIndexes (on MongoDB only).
