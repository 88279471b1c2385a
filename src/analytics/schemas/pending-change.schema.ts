import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Binary } from 'mongodb';
import { pairId, PairSums } from '../pair-sums';

const FIGURES = ['likes', 'comments', 'shares', 'views', 'posts'] as const;
const SEP = '\u0001';

/**
 * What one chunk of an upload changes in the totals of one bucket of campaigns, written in
 * the chunk's own transaction (with its rows) and folded into the totals when the upload
 * ends. `_id` = `<jobId>:<bucket, 2 digits>:<chunk index>`, so an upload's changes of one
 * bucket are a range of the primary key. `applied` marks changes already in the totals
 * whose campaigns' cached rankings still have to be invalidated.
 *
 * Packed as the pairs' ids and one binary array of their figures (5 doubles a pair, exact
 * for integers below 2^53): a BSON array per pair cost as much to encode as the rows.
 */
@Schema({ collection: 'totals_pending', versionKey: false })
export class PendingChange {
  @Prop({ type: String, required: true }) _id!: string;
  /** pairId() of each changed creator. */
  @Prop({ type: [String], required: true }) pairs!: string[];
  /** Float64 little-endian: likes, comments, shares, views, posts of each pair in turn. */
  @Prop({ type: Buffer, required: true }) figures!: Binary;
  @Prop() applied?: boolean;
}

export const PendingChangeSchema = SchemaFactory.createForClass(PendingChange);

export function packChanges(_id: string, changes: PairSums[]): PendingChange {
  const figures = new Float64Array(changes.length * FIGURES.length);
  changes.forEach((c, i) => FIGURES.forEach((f, j) => (figures[i * FIGURES.length + j] = c[f])));
  return { _id, pairs: changes.map(pairId), figures: new Binary(Buffer.from(figures.buffer)) };
}

export function unpackChanges(doc: PendingChange): PairSums[] {
  // Copied into an aligned buffer: the driver's bytes may start at any offset.
  const figures = new Float64Array(Uint8Array.from(doc.figures.buffer).buffer);
  return doc.pairs.map((id, i) => {
    const at = i * FIGURES.length;
    const sep = id.indexOf(SEP);
    return {
      campaignId: id.slice(0, sep),
      influencerId: id.slice(sep + 1),
      likes: figures[at],
      comments: figures[at + 1],
      shares: figures[at + 2],
      views: figures[at + 3],
      posts: figures[at + 4],
    };
  });
}

/** The campaigns a change names. */
export const campaignsOf = (doc: Pick<PendingChange, 'pairs'>) => doc.pairs.map((id) => id.slice(0, id.indexOf(SEP)));
