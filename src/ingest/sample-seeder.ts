import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { existsSync, createReadStream } from 'node:fs';
import { join } from 'node:path';
import { TopPerformersQuery } from '../analytics/top-performers.query';
import { AppConfig } from '../core/config/app-config';
import { IngestService } from './ingest.service';

const SAMPLE_FILE = join(__dirname, '..', '..', 'samples', 'engagement-sample.csv');

/**
 * `npm start` on an empty database ingests the bundled sample once, through the same
 * code path as an upload, so the README's curl examples answer straight away.
 */
@Injectable()
export class SampleSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(SampleSeeder.name);

  constructor(
    private readonly ingest: IngestService,
    private readonly analytics: TopPerformersQuery,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap() {
    if (this.config.INGEST_SAMPLE_ON_EMPTY !== 'true') return;
    if (!existsSync(SAMPLE_FILE)) return;
    try {
      const { total } = await this.analytics.campaigns(1, 1);
      if (total > 0) return;
      const res = await this.ingest.ingest({ filename: 'engagement-sample.csv', body: createReadStream(SAMPLE_FILE) });
      this.logger.log(`Empty database: ingesting the bundled sample as job ${res.jobId}`);
    } catch (err) {
      this.logger.warn(`Could not ingest the bundled sample: ${(err as Error).message}`);
    }
  }
}
