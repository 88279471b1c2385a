import { InjectQueue } from '@nestjs/bull';
import {
  BadRequestException,
  HttpException,
  Injectable,
  Logger,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectModel } from '@nestjs/mongoose';
import { Queue } from 'bull';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { EnvironmentVariables } from '../core/config/environment';
import { duplicateKeyIndexes } from '../core/database/write-errors';
import { withTimeout } from '../core/with-timeout';
import { INGEST_JOB, INGEST_QUEUE } from '../core/queue/queue-names';
import { ChunkJobData, FinalizeJobData, packRow } from './chunk-codec';
import { checkHeader, HeaderLayout } from './csv/csv-header';
import { parseRecordFields, readCsvRecords } from './csv/csv-records';
import { classifyRecord, EngagementRow, isBlankRecord } from './csv/row-validator';
import { IngestScratch } from './ingest-scratch';
import {
  CAMPAIGN_PAGE_SIZE,
  ERROR_PAGE_SIZE,
  ERRORS_IN_STATUS,
  IngestCampaignPage,
  IngestError,
  IngestErrorPage,
  IngestJob,
} from './schemas/ingest-job.schema';
import { UploadSource } from './upload-source';

export interface IngestAccepted {
  jobId: string;
  status: 'queued';
  statusUrl: string;
}

/** Bull options of every chunk: retried with backoff, kept a while when failed (dashboard). */
export const CHUNK_JOB_OPTIONS = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};

const QUEUE_TIMEOUT_MS = 5000;

/**
 * API side of an upload: reads the CSV as a stream, validates every row, sends the valid
 * ones to the queue in chunks and keeps every rejected one with its line and reason.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);
  private readonly chunkRows: number;
  private readonly counters: Collection<{ _id: string; value: number }>;

  constructor(
    @InjectQueue(INGEST_QUEUE) private readonly queue: Queue,
    @InjectModel(IngestJob.name) private readonly jobs: Model<IngestJob>,
    @InjectModel(IngestErrorPage.name) private readonly errorPages: Model<IngestErrorPage>,
    @InjectModel(IngestCampaignPage.name) private readonly campaignPages: Model<IngestCampaignPage>,
    private readonly scratch: IngestScratch,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.chunkRows = config.get('INGEST_CHUNK_ROWS', { infer: true });
    this.counters = jobs.db.collection('counters');
  }

  async ingest(source: UploadSource): Promise<IngestAccepted> {
    const records = readCsvRecords(source.body)[Symbol.asyncIterator]();

    // 1. The header decides whether anything happens at all.
    let layout: HeaderLayout | undefined;
    for (let r = await records.next(); !r.done; r = await records.next()) {
      if (r.value.error) throw new UnprocessableEntityException(`Line ${r.value.line}: ${r.value.error}`);
      const parsed = parseRecordFields(r.value.text);
      if (!parsed.ok) throw new UnprocessableEntityException(`The header (line ${r.value.line}) is not valid CSV: ${parsed.reason}`);
      if (isBlankRecord(parsed.fields)) continue;
      if (parsed.fields.some((f) => f.includes('\uFFFD'))) {
        throw new BadRequestException('The file is not UTF-8 text (its header has invalid byte sequences)');
      }
      const check = checkHeader(parsed.fields);
      if (!check.ok) {
        const parts = [];
        if (check.missing.length) parts.push(`missing required column(s): ${check.missing.join(', ')}`);
        if (check.duplicated.length) parts.push(`column(s) given more than once: ${check.duplicated.join(', ')}`);
        throw new UnprocessableEntityException(`Invalid CSV header: ${parts.join('; ')}`);
      }
      layout = check.layout;
      break;
    }
    if (!layout) throw new BadRequestException('The file is empty: expected a CSV header line and data rows');

    // 2. The upload exists from here on.
    const uploadId = randomUUID();
    const uploadSeq = await this.nextUploadSeq();
    await this.jobs.create({ _id: uploadId, uploadSeq, status: 'queued', filename: source.filename, createdAt: new Date() });

    const state = new UploadState(uploadId);
    let chunk: EngagementRow[] = [];
    try {
      for (let r = await records.next(); !r.done; r = await records.next()) {
        const outcome = classifyRecord(r.value, layout);
        if (outcome.kind === 'rejected') state.reject(outcome.errors);
        if (outcome.kind === 'row') {
          state.accept(outcome.row);
          chunk.push(outcome.row);
          if (chunk.length >= this.chunkRows) {
            await this.sendChunk(state, uploadSeq, chunk);
            chunk = [];
          }
        }
        if (state.pendingErrors.length >= ERROR_PAGE_SIZE) await this.flushErrors(state);
      }
      if (state.rowsTotal > 0) {
        if (chunk.length > 0) await this.sendChunk(state, uploadSeq, chunk);
        await this.flushErrors(state, true);
        await this.saveCampaigns(state);
        await this.jobs.updateOne({ _id: uploadId }, { $set: { ...state.summary(), chunksTotal: state.chunks } });
        const done = await this.scratch.setChunksTotal(uploadId, state.chunks);
        if (done >= state.chunks) await this.enqueueFinalize(uploadId);
      }
    } catch (err) {
      await this.abort(state, err);
      throw err;
    }
    if (state.rowsTotal === 0) {
      // Nothing was queued or recorded for it: the upload simply never existed.
      await this.jobs.deleteOne({ _id: uploadId });
      throw new BadRequestException('The file has a header but no data rows');
    }
    this.logger.log(`upload ${uploadId}: ${state.rowsAccepted}/${state.rowsTotal} rows accepted in ${state.chunks} chunk(s)`);
    return { jobId: uploadId, status: 'queued', statusUrl: `/ingest/${uploadId}` };
  }

  private async nextUploadSeq(): Promise<number> {
    const res = await this.counters.findOneAndUpdate(
      { _id: 'uploadSeq' },
      { $inc: { value: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    return res?.value ?? 1;
  }

  private async sendChunk(state: UploadState, uploadSeq: number, rows: EngagementRow[]) {
    const index = state.chunks;
    const data: ChunkJobData = { uploadId: state.uploadId, uploadSeq, index, rows: rows.map(packRow) };
    const fresh = await this.scratch.recordRows(state.uploadId, rows).catch((err: Error) => {
      throw new ServiceUnavailableException(`Redis cannot take work right now: ${err.message}`);
    });
    state.rowsDuplicate += rows.length - fresh;
    await this.enqueue(INGEST_JOB.chunk, data, { ...CHUNK_JOB_OPTIONS, jobId: `${state.uploadId}:${index}` });
    state.chunks++;
  }

  async enqueueFinalize(uploadId: string) {
    const data: FinalizeJobData = { uploadId };
    // A fixed jobId: whoever notices the last chunk first enqueues, the others are no-ops.
    await this.enqueue(INGEST_JOB.finalize, data, { ...CHUNK_JOB_OPTIONS, attempts: 10, jobId: `${uploadId}:finalize` });
  }

  private async enqueue(name: string, data: object, opts: object) {
    try {
      await withTimeout(this.queue.add(name, data, opts), QUEUE_TIMEOUT_MS, 'queueing');
    } catch (err) {
      throw new ServiceUnavailableException(`The ingest queue cannot take work right now: ${(err as Error).message}`);
    }
  }

  private async flushErrors(state: UploadState, final = false) {
    while (state.pendingErrors.length >= ERROR_PAGE_SIZE || (final && state.pendingErrors.length > 0)) {
      const errors = state.pendingErrors.splice(0, ERROR_PAGE_SIZE);
      await this.errorPages.collection.insertOne({ _id: `${state.uploadId}:${state.errorPages}` as never, errors });
      state.errorPages++;
    }
  }

  /** The campaigns the upload touched, in pages finalize reads one at a time. */
  private async saveCampaigns(state: UploadState) {
    const ids = [...state.campaigns];
    for (let page = 0; page * CAMPAIGN_PAGE_SIZE < ids.length; page++) {
      const doc = { _id: `${state.uploadId}:${page}`, campaigns: ids.slice(page * CAMPAIGN_PAGE_SIZE, (page + 1) * CAMPAIGN_PAGE_SIZE) };
      try {
        await this.campaignPages.collection.insertOne(doc as never);
      } catch (err) {
        // Written before this call failed further on (abort retries the write): same content.
        if (duplicateKeyIndexes(err) === null) throw err;
      }
    }
    state.campaignPages = Math.ceil(ids.length / CAMPAIGN_PAGE_SIZE);
  }

  /** The upload stopped half-way: what was queued still lands, and the job says why it stopped. */
  private async abort(state: UploadState, err: unknown) {
    const reason = err instanceof HttpException ? err.message : 'internal error while reading the upload';
    if (!(err instanceof HttpException)) this.logger.error(`upload ${state.uploadId} aborted: ${(err as Error)?.stack ?? err}`);
    try {
      await this.flushErrors(state, true);
      await this.saveCampaigns(state);
      await this.jobs.updateOne(
        { _id: state.uploadId },
        { $set: { ...state.summary(), chunksTotal: state.chunks, failureReason: `upload aborted: ${reason}` } },
      );
      const done = await this.scratch.setChunksTotal(state.uploadId, state.chunks);
      if (done >= state.chunks) await this.enqueueFinalize(state.uploadId);
    } catch (cleanupErr) {
      this.logger.warn(`upload ${state.uploadId}: could not record the abort: ${(cleanupErr as Error).message}`);
    }
  }
}

/** Counters and buffers of one upload while it is being read. */
class UploadState {
  rowsTotal = 0;
  rowsAccepted = 0;
  rowsRejected = 0;
  rowsDuplicate = 0;
  chunks = 0;
  errorPages = 0;
  campaignPages = 0;
  readonly campaigns = new Set<string>();
  readonly firstErrors: IngestError[] = [];
  pendingErrors: IngestError[] = [];

  constructor(readonly uploadId: string) {}

  accept(row: EngagementRow) {
    this.rowsTotal++;
    this.rowsAccepted++;
    this.campaigns.add(row.campaignId);
  }

  reject(errors: IngestError[]) {
    this.rowsTotal++;
    this.rowsRejected++;
    for (const e of errors) {
      if (this.firstErrors.length < ERRORS_IN_STATUS) this.firstErrors.push(e);
      this.pendingErrors.push(e);
    }
  }

  summary() {
    return {
      rowsTotal: this.rowsTotal,
      rowsAccepted: this.rowsAccepted,
      rowsRejected: this.rowsRejected,
      rowsDuplicate: this.rowsDuplicate,
      campaignPages: this.campaignPages,
      campaignCount: this.campaigns.size,
      firstErrors: this.firstErrors,
      errorPages: this.errorPages,
    };
  }
}
