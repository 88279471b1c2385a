import { IngestJobRepository } from './ingest-job.repository';
import { IngestProgressRepository } from './ingest-progress.repository';
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

function newTestService(progress: () => Promise<unknown>, stored: IngestJob = job) {
  const jobs = { find: async () => stored } as unknown as IngestJobRepository;
  return new IngestStatusService(jobs, { progress } as unknown as IngestProgressRepository);
}

describe('IngestStatusService.status', () => {
  it('shows live progress from Redis while the job runs', async () => {
    const s = await newTestService(async () => ({ chunksDone: 1, chunksTotal: 2, rowsWritten: 5, startedAt: new Date(1) })).status('u1');
    expect(s).toMatchObject({ status: 'processing', rowsWritten: 5, progress: 0.475 });
  });

  it('answers with the stored figures while Redis is down', async () => {
    const s = await newTestService(async () =>
      Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).status('u1');
    expect(s).toMatchObject({ status: 'queued', rowsWritten: 0, progress: 0 });
  });

  it('does not hide other Redis errors', async () => {
    const service = newTestService(async () =>
      Promise.reject(new Error('WRONGTYPE Operation against a key holding the wrong kind of value')),
    );
    await expect(service.status('u1')).rejects.toThrow(/WRONGTYPE/);
  });

  it('shows why a job failed without the hosts and ports of the services behind it', async () => {
    const failed = {
      ...job,
      status: 'failed',
      finishedAt: new Date(2),
      failureReason: 'Server selection timed out after 30000 ms: connect ECONNREFUSED 127.0.0.1:27027',
    } as IngestJob;
    const s = await newTestService(async () => null, failed).status('u1');
    expect(s.failureReason).toBe('Server selection timed out after 30000 ms: connect ECONNREFUSED [host]');
  });
});
