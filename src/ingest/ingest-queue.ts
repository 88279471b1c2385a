import { InjectQueue } from '@nestjs/bull';
import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { JobOptions, Queue } from 'bull';
import { AppConfig } from '../core/config/app-config';
import { attemptsToCover, CAPPED_EXPONENTIAL, CappedBackoff } from '../core/queue/backoff';
import { FINALIZE_QUEUE, INGEST_QUEUE } from '../core/queue/queue-names';
import { withTimeout } from '../core/with-timeout';
import { PackedRow } from './chunk-codec';

/**
 * Everything that goes on the ingest queues: chunks on INGEST_QUEUE, finalizes on
 * FINALIZE_QUEUE (a queue each, so each kind has its own concurrency); their job names,
 * payloads, ids and options, and the producer. One consumer (IngestProcessor) works both.
 * `jobId` in a payload is the upload's (the API's job id); Bull's own job ids are built
 * from it below.
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

/** The producer side of the ingest queues (a queue that cannot take work is a 503), and what it still holds. */
@Injectable()
export class IngestQueue {
  private readonly options: JobOptions;

  constructor(
    @InjectQueue(INGEST_QUEUE) private readonly chunks: Queue,
    @InjectQueue(FINALIZE_QUEUE) private readonly finalizes: Queue,
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
    await this.add(this.chunks, INGEST_JOB.chunk, data, { ...this.options, jobId: chunkQueueId(data.jobId, data.index) });
  }

  /**
   * A fixed queue id: whoever notices the last chunk first enqueues; the others are no-ops.
   * `again`: the reaper's, under an id of its own, since a finalize that failed for good
   * keeps its id in the failed set for days.
   */
  async addFinalize(jobId: string, again = false): Promise<void> {
    const data: FinalizeJobData = { jobId };
    const queueId = again ? `${finalizeQueueId(jobId)}:${Date.now()}` : finalizeQueueId(jobId);
    await this.add(this.finalizes, INGEST_JOB.finalize, data, { ...this.options, jobId: queueId });
  }

  /** How many of the upload's first `chunks` chunk jobs, and whether its finalize, are still to run. */
  async unfinishedWork(jobId: string, chunks: number): Promise<{ chunks: number; finalize: boolean }> {
    const state = async (queue: Queue, id: string) => {
      const job = await queue.getJob(id);
      return job ? ACTIVE_STATES.has(await job.getState()) : false;
    };
    let pending = 0;
    for (let i = 0; i < chunks; i++) if (await state(this.chunks, chunkQueueId(jobId, i))) pending++;
    return { chunks: pending, finalize: await state(this.finalizes, finalizeQueueId(jobId)) };
  }

  private async add(queue: Queue, name: string, data: object, opts: JobOptions) {
    try {
      await withTimeout(queue.add(name, data, opts), QUEUE_TIMEOUT_MS, 'queueing');
    } catch (err) {
      throw new ServiceUnavailableException(`The ingest queue cannot take work right now: ${(err as Error).message}`);
    }
  }
}
