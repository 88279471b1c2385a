import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AnalyticsModule } from '../analytics/analytics.module';
import { CampaignTotalsCalculator } from './campaign-totals.calculator';
import { IngestScratch } from './ingest-scratch';
import { IngestStatusService } from './ingest-status.service';
import { IngestController } from './ingest.controller';
import { IngestEventsController } from './ingest-events.controller';
import { IngestService } from './ingest.service';
import { IngestWorker } from './ingest.worker';
import { SampleSeeder } from './sample-seeder';
import { EngagementRowIndexes } from './schemas/engagement-row.indexes';
import { EngagementRowDoc, EngagementRowSchema } from './schemas/engagement-row.schema';
import { IngestCampaignPage, IngestCampaignPageSchema, IngestErrorPage, IngestErrorPageSchema, IngestJob, IngestJobSchema } from './schemas/ingest-job.schema';

export interface IngestModuleOptions {
  /** Serve POST /ingest and the status endpoints. */
  http: boolean;
  /** Consume the ingest queue in this process. */
  worker: boolean;
}

@Module({})
export class IngestModule {
  static register({ http, worker }: IngestModuleOptions): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        AnalyticsModule,
        MongooseModule.forFeature([
          { name: EngagementRowDoc.name, schema: EngagementRowSchema },
          { name: IngestJob.name, schema: IngestJobSchema },
          { name: IngestErrorPage.name, schema: IngestErrorPageSchema },
          { name: IngestCampaignPage.name, schema: IngestCampaignPageSchema },
        ]),
      ],
      controllers: http ? [IngestController, IngestEventsController] : [],
      providers: [
        IngestService,
        IngestScratch,
        IngestStatusService,
        CampaignTotalsCalculator,
        EngagementRowIndexes,
        ...(worker ? [IngestWorker] : []),
        ...(http ? [SampleSeeder] : []),
      ],
      exports: [IngestService, IngestStatusService],
    };
  }
}
