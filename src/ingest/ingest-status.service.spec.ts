import { newTestService } from '../../test/support/new-test-service';
import { IngestJobRepository } from './ingest-job.repository';
import { IngestProgressRepository, LiveProgress } from './ingest-progress.repository';
import { IngestStatusService } from './ingest-status.service';
import { IngestJob } from './schemas/ingest-job.schema';

const job = {
  _id: 'u1',
  status: 'queued',
  rowsTotal: 10,
  rowsAccepted: 10,
  rowsRejected: 0,
  rowsDuplicate: 0,
  firstErrors: [],
  errorPages: 0,
  createdAt: new Date(0),
} as unknown as IngestJob;

/** The service over `stored`, its live progress in Redis answered by `progress`. */
async function statusOf(progress: () => Promise<unknown>, stored: IngestJob = job) {
  const { sut, mocks } = await newTestService(IngestStatusService);
  mocks(IngestJobRepository).find.mockResolvedValue(stored);
  mocks(IngestProgressRepository).progress.mockImplementation(progress as () => Promise<LiveProgress>);
  return sut.status('u1');
}

describe('IngestStatusService.status', () => {
  it('shows the stored status with the live counts from Redis while the job runs', async () => {
    const running = { ...job, status: 'processing', startedAt: new Date(1), chunksTotal: 2 } as IngestJob;
    const s = await statusOf(async () => ({ chunksDone: 1, rowsWritten: 5 }), running);
    expect(s).toMatchObject({ status: 'processing', startedAt: new Date(1), rowsWritten: 5, progress: 0.475 });
  });

  it('answers with the stored figures while Redis is down', async () => {
    const s = await statusOf(async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })));
    expect(s).toMatchObject({ status: 'queued', rowsWritten: 0, progress: 0 });
  });

  it('does not hide other Redis errors', async () => {
    await expect(
      statusOf(async () => Promise.reject(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))),
    ).rejects.toThrow(/WRONGTYPE/);
  });

  it('shows why a job failed without the hosts and ports of the services behind it', async () => {
    const failed = {
      ...job,
      status: 'failed',
      finishedAt: new Date(2),
      failureReason: 'Server selection timed out after 30000 ms: connect ECONNREFUSED 127.0.0.1:27027',
    } as IngestJob;
    const s = await statusOf(async () => null, failed);
    expect(s.failureReason).toBe('Server selection timed out after 30000 ms: connect ECONNREFUSED [host]');
  });
});
