import {
  BadRequestException,
  HttpException,
  Injectable,
  Logger,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../core/config/app-config';
import { clientError, unavailableDependency } from '../core/http/dependency-unavailable';
import { packRow } from './chunk-codec';
import { checkHeader, HeaderLayout } from './csv/csv-header';
import { CsvRecord, parseRecordFields, readCsvRecordBatches } from './csv/csv-records';
import { classifyRecord, EngagementRow, isBlankRecord } from './csv/row-validator';
import { UploadState } from './csv/upload-state';
import { IngestJobRepository } from './ingest-job.repository';
import { IngestProgressRepository } from './ingest-progress.repository';
import { FinalizeService } from './finalize.service';
import { IngestQueue } from './ingest-queue';
import { IngestAccepted } from './job-status';
import { ERROR_PAGE_SIZE } from './schemas/ingest-job.schema';
import { UploadSource } from './upload-source';

async function nextBatch(batches: AsyncIterator<CsvRecord[]>): Promise<CsvRecord[] | undefined> {
  const b = await batches.next();
  return b.done ? undefined : b.value;
}

/**
 * API side of an upload: reads the CSV as a stream, validates every row, sends the valid
 * ones to the queue in chunks and keeps every rejected one with its line and reason.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);
  private readonly chunkRows: number;
  private readonly maxStoredErrors: number;
  /** How often a reading API says it is alive (IngestJob.heartbeatAt): well inside the reaper's patience. */
  private readonly heartbeatMs: number;

  constructor(
    private readonly jobs: IngestJobRepository,
    private readonly progress: IngestProgressRepository,
    private readonly queue: IngestQueue,
    private readonly finalizer: FinalizeService,
    config: AppConfig,
  ) {
    this.chunkRows = config.INGEST_CHUNK_ROWS;
    this.maxStoredErrors = config.INGEST_MAX_STORED_ERRORS;
    this.heartbeatMs = Math.min(15_000, (config.INGEST_STALL_TIMEOUT_S * 1000) / 4);
  }

  async ingest(source: UploadSource): Promise<IngestAccepted> {
    const batches = readCsvRecordBatches(source.body)[Symbol.asyncIterator]();
    const { layout, rest } = await this.readHeader(batches);

    // The upload exists from here on.
    const jobId = randomUUID();
    const uploadSeq = await this.jobs.nextUploadSeq();
    await this.jobs.create(jobId, uploadSeq, source.filename);

    const state = new UploadState(jobId, this.maxStoredErrors);
    let chunk: EngagementRow[] = [];
    // A slow client may take minutes per chunk: the reaper must still see this API alive.
    const heartbeat = setInterval(() => void this.jobs.heartbeat(jobId).catch(() => undefined), this.heartbeatMs);
    try {
      for (let batch: CsvRecord[] | undefined = rest; batch; batch = await nextBatch(batches)) {
        for (const record of batch) {
          const outcome = classifyRecord(record, layout);
          if (outcome.kind === 'rejected') state.reject(outcome.errors);
          if (outcome.kind === 'row') {
            state.accept();
            chunk.push(outcome.row);
            if (chunk.length >= this.chunkRows) {
              await this.sendChunk(state, uploadSeq, chunk);
              chunk = [];
            }
          }
          if (state.pendingErrors.length >= ERROR_PAGE_SIZE) await this.flushErrors(state);
        }
      }
      if (state.rowsTotal > 0) {
        if (chunk.length > 0) await this.sendChunk(state, uploadSeq, chunk);
        await this.close(state);
      }
    } catch (err) {
      await this.abort(state, err);
      throw err;
    } finally {
      clearInterval(heartbeat);
    }
    if (state.rowsTotal === 0) {
      // Nothing was queued or recorded for it: the upload simply never existed.
      await this.jobs.delete(jobId);
      throw new BadRequestException('The file has a header but no data rows');
    }
    this.logger.log(`upload ${jobId}: ${state.rowsAccepted}/${state.rowsTotal} rows accepted in ${state.chunks} chunk(s)`);
    return { jobId, status: 'queued', statusUrl: `/ingest/${jobId}` };
  }

  /** The header decides whether anything happens at all; `rest` is what its batch holds after it. */
  private async readHeader(batches: AsyncIterator<CsvRecord[]>): Promise<{ layout: HeaderLayout; rest: CsvRecord[] }> {
    for (let b = await batches.next(); !b.done; b = await batches.next()) {
      for (let i = 0; i < b.value.length; i++) {
        const layout = this.headerLayout(b.value[i]);
        if (layout) return { layout, rest: b.value.slice(i + 1) };
      }
    }
    throw new BadRequestException('The file is empty: expected a CSV header line and data rows');
  }

  /** The layout the header record gives, null for a blank line before it; a bad header is a 4xx. */
  private headerLayout(r: CsvRecord): HeaderLayout | null {
    if (r.error) throw new UnprocessableEntityException(`Line ${r.line}: ${r.error}`);
    const parsed = parseRecordFields(r.text);
    if (!parsed.ok) throw new UnprocessableEntityException(`The header (line ${r.line}) is not valid CSV: ${parsed.reason}`);
    if (isBlankRecord(parsed.fields)) return null;
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
    return check.layout;
  }

  private async sendChunk(state: UploadState, uploadSeq: number, rows: EngagementRow[]) {
    const fresh = await this.progress
      .recordKeys(
        state.jobId,
        rows.map((r) => r.key),
      )
      .catch((err: Error) => {
        // The driver's words name Redis's host and port: they go to the log, not to the client.
        this.logger.warn(`upload ${state.jobId}: Redis refused the row keys: ${err.message}`);
        throw new ServiceUnavailableException('Redis cannot take work right now; try again shortly', { cause: err });
      });
    state.rowsDuplicate += rows.length - fresh;
    state.countCampaigns(rows);
    // Counted before it is added: an add that times out may still land (IngestJob.chunksQueued).
    const index = state.chunks++;
    await this.jobs.chunkQueued(state.jobId);
    await this.queue.addChunk({ jobId: state.jobId, uploadSeq, index, rows: rows.map(packRow) });
  }

  private async flushErrors(state: UploadState, final = false) {
    while (state.pendingErrors.length >= ERROR_PAGE_SIZE || (final && state.pendingErrors.length > 0)) {
      await this.jobs.addErrorPage(state.jobId, state.errorPages, state.pendingErrors.splice(0, ERROR_PAGE_SIZE));
      state.errorPages++;
    }
  }

  /**
   * The whole file is read: record its counts (the chunk count in the job first: it is what
   * completion is judged by), and finalize at once if the workers are done. Should Redis
   * fail here, the reaper finishes the job from what the database holds.
   */
  private async close(state: UploadState, failureReason?: string) {
    await this.flushErrors(state, true);
    await this.jobs.saveSummary(state.jobId, { ...state.summary(), chunksTotal: state.chunks });
    if (failureReason) await this.jobs.recordFailure(state.jobId, failureReason);
    await this.progress.dropKeys(state.jobId);
    await this.finalizer.finalizeIfSettled(state.jobId);
  }

  /** The upload stopped half-way: what was queued still lands, and the job says why it stopped. */
  private async abort(state: UploadState, err: unknown) {
    // A dependency that went away is said as the client is told it (DependencyUnavailableFilter).
    const told = err instanceof HttpException || unavailableDependency(err) !== null;
    const reason = told ? clientError(err).message : 'internal error while reading the upload';
    if (!told) this.logger.error(`upload ${state.jobId} aborted: ${(err as Error)?.stack ?? String(err)}`);
    try {
      await this.close(state, `upload aborted: ${reason}`);
    } catch (cleanupErr) {
      this.logger.warn(`upload ${state.jobId}: could not record the abort: ${(cleanupErr as Error).message}`);
    }
  }
}
