import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
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

/**
 * Which of `ids` are still to run on `queue`, in one pipelined round trip (the reaper asks
 * for every chunk of every quiet upload on every sweep). A completed job is removed
 * (removeOnComplete), so a job that exists and is not in the failed set is waiting,
 * delayed, active or paused.
 */
async function toRun(queue: Queue, ids: string[]): Promise<boolean[]> {
  if (ids.length === 0) return [];
  const pipeline = queue.client.pipeline();
  for (const id of ids) pipeline.exists(queue.toKey(id)).zscore(queue.toKey('failed'), id);
  const replies = (await pipeline.exec()) ?? [];
  for (const [err] of replies) if (err) throw err;
  return ids.map((_, i) => Number(replies[2 * i]?.[1]) === 1 && replies[2 * i + 1]?.[1] === null);
}

const chunkQueueId = (jobId: string, index: number) => `${jobId}:${index}`;
const finalizeQueueId = (jobId: string) => `${jobId}:finalize`;

/** The producer side of the ingest queues (a queue that cannot take work is a 503), and what it still holds. */
@Injectable()
export class IngestQueue {
  private readonly logger = new Logger(IngestQueue.name);
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
    const opts = { ...this.options, jobId: chunkQueueId(data.jobId, data.index) };
    await this.guard(opts.jobId, () => this.chunks.add(INGEST_JOB.chunk, data, opts));
  }

  /**
   * The upload's one finalize, under one queue id whoever asks (the last chunk, the file's
   * end, the reaper): a no-op while that job is queued or running, so there is never more
   * than one. One that failed for good stays a week in the failed set (/queues) under that
   * id; asking again replaces it.
   */
  async addFinalize(jobId: string): Promise<void> {
    const data: FinalizeJobData = { jobId };
    const queueId = finalizeQueueId(jobId);
    await this.guard(queueId, async () => {
      const old = await this.finalizes.getJob(queueId);
      if (old) {
        if (ACTIVE_STATES.has(await old.getState())) return;
        // Refused when the job was taken meanwhile (locked): the add below is then a no-op.
        await old.remove().catch(() => undefined);
      }
      // Bull adds nothing when a job with this id exists (another caller won the race).
      await this.finalizes.add(INGEST_JOB.finalize, data, { ...this.options, jobId: queueId });
    });
  }

  /** How many of the upload's first `chunks` chunk jobs, and whether its finalize, are still to run. */
  async unfinishedWork(jobId: string, chunks: number): Promise<{ chunks: number; finalize: boolean }> {
    const ids = Array.from({ length: chunks }, (_, i) => chunkQueueId(jobId, i));
    const [pending, [finalize]] = await Promise.all([toRun(this.chunks, ids), toRun(this.finalizes, [finalizeQueueId(jobId)])]);
    return { chunks: pending.filter(Boolean).length, finalize };
  }

  private async guard(queueId: string | number | undefined, queueing: () => Promise<unknown>) {
    try {
      await withTimeout(queueing(), QUEUE_TIMEOUT_MS, 'queueing');
    } catch (err) {
      // The driver's words name Redis's host and port: they go to the log, not to the client.
      this.logger.warn(`queueing ${queueId} failed: ${(err as Error).message}`);
      throw new ServiceUnavailableException('The ingest queue cannot take work right now; try again shortly', { cause: err });
    }
  }
}
