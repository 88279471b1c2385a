import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { SLICE_ROWS } from '../analytics/slice-rows';
import { EngagementRowsRepository } from './engagement-rows.repository';
import { EngagementRowDoc, EngagementRowSchema } from './schemas/engagement-row.schema';

/**
 * The stored rows, owned by ingest. Global so that analytics gets its reads of them
 * (SLICE_ROWS, an interface analytics declares) without importing ingest, which imports
 * analytics: no module cycle, no reach into another module's collection.
 */
@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: EngagementRowDoc.name, schema: EngagementRowSchema }])],
  providers: [EngagementRowsRepository, { provide: SLICE_ROWS, useExisting: EngagementRowsRepository }],
  exports: [EngagementRowsRepository, SLICE_ROWS],
})
export class EngagementRowsModule {}
