import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, Queue } from 'bull';
import { EnvironmentVariables } from '../core/config/environment';
import { INGEST_JOB, INGEST_QUEUE } from '../core/queue/queue-names';
import { ChunkJobData } from './chunk-codec';
import { ChunkWriterService } from './chunk-writer.service';

/** Queue consumer of chunk jobs (APP_ROLE worker or all): log, delegate, rethrow. */
@Injectable()
export class IngestChunkProcessor implements OnModuleInit {
  private readonly logger = new Logger(IngestChunkProcessor.name);
  private readonly concurrency: number;

  constructor(
    @InjectQueue(INGEST_QUEUE) private readonly queue: Queue,
    private readonly writer: ChunkWriterService,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.concurrency = config.get('INGEST_WORKER_CONCURRENCY', { infer: true });
  }

  onModuleInit() {
    // Registered by hand (not @Process) so INGEST_WORKER_CONCURRENCY is read at run time.
    // process() settles only when the queue closes; on shutdown it rejects with
    // "Connection is closed", which is expected and must not surface as unhandled.
    this.queue
      .process(INGEST_JOB.chunk, this.concurrency, (job: Job<ChunkJobData>) => this.process(job))
      .catch((err: Error) => this.logger.debug(`chunk consumer stopped: ${err.message}`));
    this.queue.on('failed', (job: Job, err: Error) => {
      if (job.name === INGEST_JOB.chunk) void this.onFailed(job as Job<ChunkJobData>, err);
    });
  }

  async process(job: Job<ChunkJobData>): Promise<void> {
    const { uploadId, index, rows } = job.data;
    this.logger.debug(`upload ${uploadId}: writing chunk ${index} (${rows.length} rows, attempt ${job.attemptsMade + 1})`);
    try {
      await this.writer.write(job.data);
    } catch (err) {
      this.logger.warn(`upload ${uploadId}: chunk ${index} failed: ${(err as Error).message}`);
      throw err;
    }
  }

  /** Out of attempts: the upload fails; the rest of it still lands and is ranked. */
  async onFailed(job: Job<ChunkJobData>, err: Error): Promise<void> {
    if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const { uploadId, index, rows } = job.data;
    this.logger.error(`upload ${uploadId}: chunk ${index} failed for good: ${err.message}`);
    try {
      await this.writer.giveUp(
        uploadId,
        index,
        `chunk ${index} (lines ${rows[0]?.[0]}–${rows.at(-1)?.[0]}) could not be written: ${err.message}`,
      );
    } catch (e) {
      this.logger.error(`could not record the failure of upload ${uploadId}: ${(e as Error).message}`);
    }
  }
}
