import { MongooseModule } from '@nestjs/mongoose';
import { Schema } from 'mongoose';
import { repositoryModule } from '../../../test/support/repository-module';

/** Two schemas of its own, each with an index, as the feature modules declare theirs. */
const RowsSchema = new Schema({ campaignId: String, platform: String }, { collection: 'probe_rows' });
RowsSchema.index({ campaignId: 1, platform: 1 }, { name: 'probe_slices' });
const TotalsSchema = new Schema({ campaignId: String, rate: Number }, { collection: 'probe_totals' });
TotalsSchema.index({ campaignId: 1, rate: -1 }, { name: 'probe_top' });

describe('DatabaseIndexes (real database)', () => {
  it("resolves once every schema's collection and indexes exist on a fresh database", async () => {
    // repositoryModule waits on DatabaseIndexes.built(), as the ingest consumer does before its first job.
    const { moduleRef, db } = await repositoryModule('indexes', {
      imports: [
        MongooseModule.forFeature([
          { name: 'ProbeRows', schema: RowsSchema },
          { name: 'ProbeTotals', schema: TotalsSchema },
        ]),
      ],
      providers: [],
    });
    try {
      const names = async (collection: string) => (await db.collection(collection).indexes()).map((i) => i.name).sort();
      expect(await names('probe_rows')).toEqual(['_id_', 'probe_slices']);
      expect(await names('probe_totals')).toEqual(['_id_', 'probe_top']);
    } finally {
      await moduleRef.close();
    }
  });
});
