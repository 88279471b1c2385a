import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export type IngestStatus = 'queued' | 'processing' | 'completed' | 'failed';

export class IngestError {
  line!: number;
  column!: string | null;
  reason!: string;
}

/** One upload: its counts, its state and the first rejected rows. */
@Schema({ collection: 'ingest_jobs', versionKey: false })
export class IngestJob {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) uploadSeq!: number;
  @Prop({ required: true }) status!: IngestStatus;
  @Prop() filename?: string;
  @Prop({ default: 0 }) rowsTotal!: number;
  @Prop({ default: 0 }) rowsAccepted!: number;
  @Prop({ default: 0 }) rowsRejected!: number;
  @Prop({ default: 0 }) rowsDuplicate!: number;
  /** Accepted rows confirmed written by workers (set when the job ends). */
  @Prop() rowsWritten?: number;
  /** Unknown (null) while the file is still being read. */
  @Prop({ type: Number, default: null }) chunksTotal!: number | null;
  /** The campaigns the upload touched, in pages of CAMPAIGN_PAGE_SIZE (see IngestCampaignPage). */
  @Prop({ default: 0 }) campaignPages!: number;
  @Prop({ default: 0 }) campaignCount!: number;
  /** Jobs written before campaign pages listed their campaigns inline (unbounded: 16 MB limit). */
  @Prop({ type: [String], default: undefined }) campaigns?: string[];
  @Prop({ type: [Object], default: [] }) firstErrors!: IngestError[];
  @Prop({ default: 0 }) errorPages!: number;
  @Prop() failureReason?: string;
  @Prop({ required: true }) createdAt!: Date;
  @Prop() startedAt?: Date;
  @Prop() finishedAt?: Date;
}
export const IngestJobSchema = SchemaFactory.createForClass(IngestJob);

/** Rejected rows in pages of ERROR_PAGE_SIZE, `_id` = `<uploadId>:<page>`. */
@Schema({ collection: 'ingest_error_pages', versionKey: false, suppressReservedKeysWarning: true })
export class IngestErrorPage {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: [Object], required: true }) errors!: IngestError[];
}
export const IngestErrorPageSchema = SchemaFactory.createForClass(IngestErrorPage);

/**
 * The campaigns of an upload, `_id` = `<uploadId>:<page>`: a file may name more distinct
 * campaigns than one 16 MB job document can list (80k ids of 200 characters).
 */
@Schema({ collection: 'ingest_campaign_pages', versionKey: false })
export class IngestCampaignPage {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: [String], required: true }) campaigns!: string[];
}
export const IngestCampaignPageSchema = SchemaFactory.createForClass(IngestCampaignPage);

export const ERROR_PAGE_SIZE = 1000;
/** 5,000 ids of at most 200 characters: ~1 MB, well inside a document. */
export const CAMPAIGN_PAGE_SIZE = 5000;
export const ERRORS_IN_STATUS = 50;
