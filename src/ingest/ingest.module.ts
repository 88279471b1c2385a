import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AnalyticsModule } from '../analytics/analytics.module';
import { ChunkWriterService } from './chunk-writer.service';
import { EngagementRowsModule } from './engagement-rows.module';
import { FinalizeService } from './finalize.service';
import { IngestEventsController } from './ingest-events.controller';
import { IngestJobRepository } from './ingest-job.repository';
import { IngestProcessor } from './ingest.processor';
import { IngestReaper } from './ingest-reaper';
import { IngestProgressRepository } from './ingest-progress.repository';
import { IngestQueue } from './ingest-queue';
import { IngestStatusService } from './ingest-status.service';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';
import { SampleSeeder } from './sample-seeder';
import { TotalsAuditModule } from './totals-audit.module';
import { IngestErrorPage, IngestErrorPageSchema, IngestJob, IngestJobSchema } from './schemas/ingest-job.schema';

interface IngestModuleOptions {
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
        TotalsAuditModule,
        EngagementRowsModule,
        MongooseModule.forFeature([
          { name: IngestJob.name, schema: IngestJobSchema },
          { name: IngestErrorPage.name, schema: IngestErrorPageSchema },
        ]),
      ],
      controllers: http ? [IngestController, IngestEventsController] : [],
      providers: [
        IngestService,
        IngestStatusService,
        IngestJobRepository,
        IngestProgressRepository,
        IngestQueue,
        ChunkWriterService,
        FinalizeService,
        ...(worker ? [IngestProcessor, IngestReaper] : []),
        ...(http ? [SampleSeeder] : []),
      ],
      exports: [IngestService, IngestStatusService, TotalsAuditModule],
    };
  }
}
