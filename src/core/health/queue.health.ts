import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Queue } from 'bull';
import { INGEST_QUEUE } from '../queue/queue-names';
import { clientSafeMessage } from '../http/client-safe-message';
import { withTimeout } from '../with-timeout';

@Injectable()
export class QueueHealthIndicator {
  constructor(
    @InjectQueue(INGEST_QUEUE) private readonly queue: Queue,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'queue') {
    const indicator = this.health.check(key);
    try {
      await withTimeout(this.queue.isReady(), 1500, 'queue connection');
      const counts = await withTimeout(this.queue.getJobCounts(), 1500, 'queue counts');
      return indicator.up({ name: INGEST_QUEUE, ...counts });
    } catch (err) {
      return indicator.down({ name: INGEST_QUEUE, message: clientSafeMessage((err as Error).message) });
    }
  }
}
