import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Job, Queue } from 'bull';
import { INGEST_JOB, INGEST_QUEUE } from '../core/queue/queue-names';
import { FinalizeJobData } from './chunk-codec';
import { FinalizeService } from './finalize.service';

/** Queue consumer of finalize jobs (APP_ROLE worker or all): log, delegate, rethrow. */
@Injectable()
export class IngestFinalizeProcessor implements OnModuleInit {
  private readonly logger = new Logger(IngestFinalizeProcessor.name);

  constructor(
    @InjectQueue(INGEST_QUEUE) private readonly queue: Queue,
    private readonly finalizer: FinalizeService,
  ) {}

  onModuleInit() {
    this.queue
      .process(INGEST_JOB.finalize, 1, (job: Job<FinalizeJobData>) => this.process(job))
      .catch((err: Error) => this.logger.debug(`finalize consumer stopped: ${err.message}`));
    this.queue.on('failed', (job: Job, err: Error) => {
      if (job.name === INGEST_JOB.finalize) void this.onFailed(job as Job<FinalizeJobData>, err);
    });
  }

  async process(job: Job<FinalizeJobData>): Promise<void> {
    const { uploadId } = job.data;
    this.logger.debug(`upload ${uploadId}: finalizing (attempt ${job.attemptsMade + 1})`);
    try {
      await this.finalizer.finalize(uploadId);
    } catch (err) {
      this.logger.warn(`upload ${uploadId}: finalize failed: ${(err as Error).message}`);
      throw err;
    }
  }

  /** Out of attempts: the job ends failed rather than staying `processing` for ever. */
  async onFailed(job: Job<FinalizeJobData>, err: Error): Promise<void> {
    if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const { uploadId } = job.data;
    this.logger.error(`upload ${uploadId}: finalize failed for good: ${err.message}`);
    try {
      await this.finalizer.giveUp(uploadId, err.message);
    } catch (e) {
      this.logger.error(`could not record the failure of upload ${uploadId}: ${(e as Error).message}`);
    }
  }
}
