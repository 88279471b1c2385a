import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Job, Queue } from 'bull';
import { AppConfig } from '../core/config/app-config';
import { DatabaseIndexes } from '../core/database/database-indexes';
import { isDatabaseUnavailable } from '../core/database/mongo-errors';
import { FINALIZE_QUEUE, INGEST_QUEUE } from '../core/queue/queue-names';
import { ChunkWriterService } from './chunk-writer.service';
import { FinalizeService } from './finalize.service';
import { ChunkJobData, FinalizeJobData, INGEST_JOB } from './ingest-queue';

/**
 * The one consumer of the ingest queues (APP_ROLE worker or all): log, delegate, rethrow.
 * Chunks and finalizes come from a queue each, so a worker runs at most
 * INGEST_WORKER_CONCURRENCY chunks and one finalize at once.
 */
@Injectable()
export class IngestProcessor implements OnModuleInit {
  private readonly logger = new Logger(IngestProcessor.name);
  private readonly concurrency: number;

  constructor(
    @InjectQueue(INGEST_QUEUE) private readonly chunks: Queue,
    @InjectQueue(FINALIZE_QUEUE) private readonly finalizes: Queue,
    private readonly writer: ChunkWriterService,
    private readonly finalizer: FinalizeService,
    private readonly indexes: DatabaseIndexes,
    config: AppConfig,
  ) {
    this.concurrency = config.INGEST_WORKER_CONCURRENCY;
  }

  async onModuleInit() {
    // No job before the indexes exist: chunks and finalizes are the writes to the indexed
    // collections (rows, totals), and an index built beside them can miss them (DatabaseIndexes).
    await this.indexes.built();
    // Registered by hand (not @Process) so INGEST_WORKER_CONCURRENCY is read at run time.
    // process() settles only when the queue closes; on shutdown it rejects with
    // "Connection is closed", which is expected and must not surface as unhandled.
    const stopped = (err: Error) => this.logger.debug(`ingest consumer stopped: ${err.message}`);
    this.chunks.process(INGEST_JOB.chunk, this.concurrency, (job: Job<ChunkJobData>) => this.chunk(job)).catch(stopped);
    this.finalizes.process(INGEST_JOB.finalize, 1, (job: Job<FinalizeJobData>) => this.finalize(job)).catch(stopped);
    for (const queue of [this.chunks, this.finalizes]) queue.on('failed', (job: Job, err: Error) => void this.onFailed(job, err));
  }

  async chunk(job: Job<ChunkJobData>): Promise<void> {
    const { jobId, index, rows } = job.data;
    this.logger.debug(`upload ${jobId}: writing chunk ${index} (${rows.length} rows, attempt ${job.attemptsMade + 1})`);
    try {
      await this.writer.write(job.data);
    } catch (err) {
      this.logger.warn(`upload ${jobId}: chunk ${index} failed: ${(err as Error).message}`);
      if (isDatabaseUnavailable(err)) await this.writer.waiting(jobId).catch(() => undefined);
      throw err;
    }
  }

  async finalize(job: Job<FinalizeJobData>): Promise<void> {
    const { jobId } = job.data;
    this.logger.debug(`upload ${jobId}: finalizing (attempt ${job.attemptsMade + 1})`);
    try {
      await this.finalizer.finalize(jobId);
    } catch (err) {
      this.logger.warn(`upload ${jobId}: finalize failed: ${(err as Error).message}`);
      throw err;
    }
  }

  /**
   * A job out of attempts — or failed by Bull for stalling too often, which leaves its
   * attempt count as it was — fails its upload; the rest of the upload still lands and is
   * ranked. A failure that will be retried is left to the queue.
   */
  async onFailed(job: Job, err: Error): Promise<void> {
    try {
      if (!(await job.isFailed())) return;
      if (job.name === INGEST_JOB.chunk) {
        const { jobId, index, rows } = job.data as ChunkJobData;
        this.logger.error(`upload ${jobId}: chunk ${index} failed for good: ${err.message}`);
        await this.writer.giveUp(
          jobId,
          index,
          `chunk ${index} (lines ${rows[0]?.[0]}–${rows.at(-1)?.[0]}) could not be written: ${err.message}`,
        );
      } else if (job.name === INGEST_JOB.finalize) {
        const { jobId } = job.data as FinalizeJobData;
        this.logger.error(`upload ${jobId}: finalize failed for good: ${err.message}`);
        await this.finalizer.giveUp(jobId, err.message);
      }
    } catch (e) {
      // The reaper ends the upload later (IngestReaper): it must not stay processing for ever.
      this.logger.error(`could not record the failure of job ${job.id}: ${(e as Error).message}`);
    }
  }
}
