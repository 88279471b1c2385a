import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { RowError } from '../csv/row-validator';
import type { IngestStatus } from '../job-status';

/** One upload: its counts, its state and the first rejected rows. */
@Schema({ collection: 'ingest_jobs', versionKey: false })
export class IngestJob {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) uploadSeq!: number;
  @Prop({ type: String, required: true }) status!: IngestStatus;
  @Prop() filename?: string;
  @Prop({ default: 0 }) rowsTotal!: number;
  @Prop({ default: 0 }) rowsAccepted!: number;
  @Prop({ default: 0 }) rowsRejected!: number;
  @Prop({ default: 0 }) rowsDuplicate!: number;
  /** Accepted rows the upload stored (set when the job ends; live in Redis until then). */
  @Prop() rowsWritten?: number;
  /** Accepted rows not stored because a newer version of their key was (set when the job ends). */
  @Prop() rowsSuperseded?: number;
  /** Unknown (null) while the file is still being read. */
  @Prop({ type: Number, default: null }) chunksTotal!: number | null;
  /**
   * Chunks the API has started to queue, counted before each is added: an add that timed
   * out may still land, so completion is judged against every chunk that may exist.
   */
  @Prop({ default: 0 }) chunksQueued!: number;
  /** The reading API's sign of life; the reaper ends an upload whose API went quiet (IngestReaper). */
  @Prop() heartbeatAt?: Date;
  /** Distinct campaigns the upload touched. */
  @Prop({ default: 0 }) campaignCount!: number;
  @Prop({ type: [Object], default: [] }) firstErrors!: RowError[];
  @Prop({ default: 0 }) errorPages!: number;
  /** Errors past INGEST_MAX_STORED_ERRORS: counted, not in the pages (absent on older jobs). */
  @Prop({ default: 0 }) errorsNotStored?: number;
  @Prop() failureReason?: string;
  @Prop({ required: true }) createdAt!: Date;
  @Prop() startedAt?: Date;
  @Prop() finishedAt?: Date;
}
export const IngestJobSchema = SchemaFactory.createForClass(IngestJob);

/** Rejected rows in pages of ERROR_PAGE_SIZE, `_id` = `<jobId>:<page>`. */
@Schema({ collection: 'ingest_error_pages', versionKey: false, suppressReservedKeysWarning: true })
export class IngestErrorPage {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: [Object], required: true }) errors!: RowError[];
}
export const IngestErrorPageSchema = SchemaFactory.createForClass(IngestErrorPage);

export const ERROR_PAGE_SIZE = 1000;
export const ERRORS_IN_STATUS = 50;
