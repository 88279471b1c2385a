import { ServiceUnavailableException } from '@nestjs/common';
import { ReadStream } from 'node:fs';
import { newTestService } from '../../test/support/new-test-service';
import { TopPerformersQuery } from '../analytics/top-performers.query';
import { IngestService } from './ingest.service';
import { SampleSeeder } from './sample-seeder';

async function setUp(INGEST_SAMPLE_ON_EMPTY: 'true' | 'false') {
  const { sut, mocks } = await newTestService(SampleSeeder, { config: { INGEST_SAMPLE_ON_EMPTY } });
  return { sut, ingest: mocks(IngestService), analytics: mocks(TopPerformersQuery) };
}

describe('SampleSeeder', () => {
  it('does nothing unless asked to (the default): not even a read', async () => {
    const { sut } = await setUp('false');
    // Every collaborator is strict: any call would fail the test.
    await sut.onApplicationBootstrap();
  });

  it('ingests the bundled sample through the upload path when the database has no campaign', async () => {
    const { sut, ingest, analytics } = await setUp('true');
    analytics.campaigns.mockResolvedValue({ items: [], page: 1, pageSize: 1, total: 0 });
    ingest.ingest.mockResolvedValue({ jobId: 'j1', status: 'queued', statusUrl: '/ingest/j1' });
    await sut.onApplicationBootstrap();
    expect(analytics.campaigns).toHaveBeenCalledWith(1, 1);
    const [source] = ingest.ingest.mock.calls[0];
    expect(source.filename).toBe('engagement-sample.csv');
    expect(source.body).toBeInstanceOf(ReadStream);
    (source.body as ReadStream).destroy();
    expect((source.body as ReadStream).path).toMatch(/samples\/engagement-sample\.csv$/);
  });

  it('leaves a database with campaigns alone', async () => {
    const { sut, analytics } = await setUp('true');
    analytics.campaigns.mockResolvedValue({ items: [], page: 1, pageSize: 1, total: 3 });
    await sut.onApplicationBootstrap();
  });

  it('does not stop the app from starting when the database or the queue cannot take the sample', async () => {
    const down = await setUp('true');
    down.analytics.campaigns.mockRejectedValue(new ServiceUnavailableException('The database is unavailable; try again shortly'));
    await expect(down.sut.onApplicationBootstrap()).resolves.toBeUndefined();

    const refused = await setUp('true');
    refused.analytics.campaigns.mockResolvedValue({ items: [], page: 1, pageSize: 1, total: 0 });
    refused.ingest.ingest.mockRejectedValue(new ServiceUnavailableException('Redis cannot take work right now'));
    await expect(refused.sut.onApplicationBootstrap()).resolves.toBeUndefined();
  });
});
