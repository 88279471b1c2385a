import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** [campaignId, influencerId, likes, comments, shares, views, posts]: what a chunk adds to one pair. */
export type PackedChange = [string, string, number, number, number, number, number];

/**
 * What one chunk of an upload changes in the totals of one bucket of campaigns, written in
 * the chunk's own transaction (with its rows) and folded into the totals when the upload
 * ends. `_id` = `<uploadId>:<bucket, 2 digits>:<chunk index>`, so an upload's changes of one
 * bucket are a range of the primary key. `applied` marks changes already in the totals
 * whose campaigns' cached rankings still have to be invalidated.
 */
@Schema({ collection: 'totals_pending', versionKey: false })
export class PendingChange {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: [[]], required: true }) changes!: PackedChange[];
  @Prop() applied?: boolean;
}

export const PendingChangeSchema = SchemaFactory.createForClass(PendingChange);
