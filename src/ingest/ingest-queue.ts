import { InjectQueue } from '@nestjs/bull';
import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { Queue } from 'bull';
import { INGEST_JOB, INGEST_QUEUE } from '../core/queue/queue-names';
import { withTimeout } from '../core/with-timeout';
import { ChunkJobData, FinalizeJobData } from './chunk-codec';

/** Bull options of every chunk: retried with backoff, kept a while when failed (dashboard). */
export const CHUNK_JOB_OPTIONS = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};
export const FINALIZE_JOB_OPTIONS = { ...CHUNK_JOB_OPTIONS, attempts: 10 };

const QUEUE_TIMEOUT_MS = 5000;

/** The producer side of the ingest queue; a queue that cannot take work is a 503. */
@Injectable()
export class IngestQueue {
  constructor(@InjectQueue(INGEST_QUEUE) private readonly queue: Queue) {}

  async addChunk(data: ChunkJobData): Promise<void> {
    await this.add(INGEST_JOB.chunk, data, { ...CHUNK_JOB_OPTIONS, jobId: `${data.uploadId}:${data.index}` });
  }

  /** A fixed jobId: whoever notices the last chunk first enqueues; the others are no-ops. */
  async addFinalize(uploadId: string): Promise<void> {
    const data: FinalizeJobData = { uploadId };
    await this.add(INGEST_JOB.finalize, data, { ...FINALIZE_JOB_OPTIONS, jobId: `${uploadId}:finalize` });
  }

  private async add(name: string, data: object, opts: object) {
    try {
      await withTimeout(this.queue.add(name, data, opts), QUEUE_TIMEOUT_MS, 'queueing');
    } catch (err) {
      throw new ServiceUnavailableException(`The ingest queue cannot take work right now: ${(err as Error).message}`);
    }
  }
}
