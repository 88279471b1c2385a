import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Queue } from 'bull';
import { FINALIZE_QUEUE, INGEST_QUEUE } from '../queue/queue-names';
import { clientSafeMessage } from '../http/client-safe-message';
import { withTimeout } from '../with-timeout';

/** Up when every queue's Redis connection answers (each of QUEUES); the job counts per queue. */
@Injectable()
export class QueueHealthIndicator {
  private readonly queues: Queue[];

  constructor(
    @InjectQueue(INGEST_QUEUE) chunks: Queue,
    @InjectQueue(FINALIZE_QUEUE) finalizes: Queue,
    private readonly health: HealthIndicatorService,
  ) {
    this.queues = [chunks, finalizes];
  }

  async check(key = 'queue') {
    const indicator = this.health.check(key);
    try {
      const counts = await Promise.all(
        this.queues.map(async (q) => {
          await withTimeout(q.isReady(), 1500, 'queue connection');
          return [q.name, await withTimeout(q.getJobCounts(), 1500, 'queue counts')] as const;
        }),
      );
      return indicator.up({ queues: Object.fromEntries(counts) });
    } catch (err) {
      return indicator.down({ message: clientSafeMessage((err as Error).message) });
    }
  }
}
