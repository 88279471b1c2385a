import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { JobOptions, Queue } from 'bull';
import { AppConfig } from '../core/config/app-config';
import { attemptsToCover, CAPPED_EXPONENTIAL, CappedBackoff } from '../core/queue/backoff';
import { INGEST_QUEUE } from '../core/queue/queue-names';
import { withTimeout } from '../core/with-timeout';
import { PackedRow } from './chunk-codec';

/**
 * Everything that goes on the ingest queue: its job names, payloads, ids and options, and
 * the producer. One consumer (IngestProcessor) works both kinds of job. `jobId` in a
 * payload is the upload's (the API's job id); Bull's own job ids are built from it below.
 */
export const INGEST_JOB = { chunk: 'chunk', finalize: 'finalize' } as const;

/** Rows `index * INGEST_CHUNK_ROWS …` of an upload, to be written in one transaction. */
export interface ChunkJobData {
  jobId: string;
  uploadSeq: number;
  index: number;
  rows: PackedRow[];
}

/** Fold an upload's staged changes into the totals and end its job. */
export interface FinalizeJobData {
  jobId: string;
}

const BACKOFF: CappedBackoff = { delay: 1000, max: 30_000 };
const QUEUE_TIMEOUT_MS = 5000;
const ACTIVE_STATES = new Set(['waiting', 'active', 'delayed', 'paused']);

const chunkQueueId = (jobId: string, index: number) => `${jobId}:${index}`;
const finalizeQueueId = (jobId: string) => `${jobId}:finalize`;

/** The producer side of the ingest queue (a queue that cannot take work is a 503), and what it still holds. */
@Injectable()
export class IngestQueue {
  private readonly logger = new Logger(IngestQueue.name);
  private readonly options: JobOptions;

  constructor(
    @InjectQueue(INGEST_QUEUE) private readonly queue: Queue,
    config: AppConfig,
  ) {
    // Retried with a capped backoff for the whole window: a database outage that long is
    // waited out, not turned into lost rows. Kept a while when failed (the /queues dashboard).
    this.options = {
      attempts: attemptsToCover(config.INGEST_RETRY_WINDOW_S * 1000, BACKOFF),
      backoff: { type: CAPPED_EXPONENTIAL, options: BACKOFF },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    };
  }

  async addChunk(data: ChunkJobData): Promise<void> {
    await this.add(INGEST_JOB.chunk, data, { ...this.options, jobId: chunkQueueId(data.jobId, data.index) });
  }

  /**
   * A fixed queue id: whoever notices the last chunk first enqueues; the others are no-ops.
   * `again`: the reaper's, under an id of its own, since a finalize that failed for good
   * keeps its id in the failed set for days.
   */
  async addFinalize(jobId: string, again = false): Promise<void> {
    const data: FinalizeJobData = { jobId };
    const queueId = again ? `${finalizeQueueId(jobId)}:${Date.now()}` : finalizeQueueId(jobId);
    await this.add(INGEST_JOB.finalize, data, { ...this.options, jobId: queueId });
  }

  /** How many of the upload's first `chunks` chunk jobs, and whether its finalize, are still to run. */
  async unfinishedWork(jobId: string, chunks: number): Promise<{ chunks: number; finalize: boolean }> {
    const state = async (id: string) => {
      const job = await this.queue.getJob(id);
      return job ? ACTIVE_STATES.has(await job.getState()) : false;
    };
    let pending = 0;
    for (let i = 0; i < chunks; i++) if (await state(chunkQueueId(jobId, i))) pending++;
    return { chunks: pending, finalize: await state(finalizeQueueId(jobId)) };
  }

  private async add(name: string, data: object, opts: JobOptions) {
    try {
      await withTimeout(this.queue.add(name, data, opts), QUEUE_TIMEOUT_MS, 'queueing');
    } catch (err) {
      // The driver's words name Redis's host and port: they go to the log, not to the client.
      this.logger.warn(`queueing ${opts.jobId} failed: ${(err as Error).message}`);
      throw new ServiceUnavailableException('The ingest queue cannot take work right now; try again shortly', { cause: err });
    }
  }
}
