import { getQueueToken } from '@nestjs/bull';
import { Job } from 'bull';
import { newTestService } from '../../test/support/new-test-service';
import { DatabaseIndexes } from '../core/database/database-indexes';
import { FINALIZE_QUEUE, INGEST_QUEUE } from '../core/queue/queue-names';
import { ChunkWriterService } from './chunk-writer.service';
import { FinalizeService } from './finalize.service';
import { IngestProcessor } from './ingest.processor';

function job(name: 'chunk' | 'finalize', failedForGood: boolean, attemptsMade = 0): Job {
  const data = name === 'chunk' ? { jobId: 'u1', index: 3, uploadSeq: 1, rows: [[2], [9]] } : { jobId: 'u1' };
  return { id: 'j', name, data, attemptsMade, opts: { attempts: 25 }, isFailed: async () => failedForGood } as unknown as Job;
}

async function setUp() {
  const { sut, mocks } = await newTestService(IngestProcessor, { config: { INGEST_WORKER_CONCURRENCY: 2 } });
  const queue = (name: string) => mocks(getQueueToken(name) as never) as unknown as { process: jest.Mock; on: jest.Mock };
  return {
    sut,
    writer: mocks(ChunkWriterService),
    finalizer: mocks(FinalizeService),
    indexes: mocks(DatabaseIndexes),
    queues: [queue(INGEST_QUEUE), queue(FINALIZE_QUEUE)],
  };
}

describe('IngestProcessor', () => {
  it('takes no job before the database has built its indexes, then consumes both queues', async () => {
    const { sut, indexes, queues } = await setUp();
    let built!: () => void;
    indexes.built.mockReturnValue(new Promise<void>((resolve) => (built = resolve)));
    for (const q of queues) {
      q.process = jest.fn(() => new Promise(() => undefined));
      q.on = jest.fn();
    }
    const started = sut.onModuleInit();
    await new Promise((resolve) => setImmediate(resolve));
    expect(queues.map((q) => q.process.mock.calls.length)).toEqual([0, 0]);
    built();
    await started;
    expect(queues[0].process).toHaveBeenCalledWith('chunk', 2, expect.any(Function));
    expect(queues[1].process).toHaveBeenCalledWith('finalize', 1, expect.any(Function));
  });

  it('leaves a failed attempt that will be retried to the queue', async () => {
    const { sut, writer, finalizer } = await setUp();
    await sut.onFailed(job('chunk', false, 3), new Error('boom'));
    await sut.onFailed(job('finalize', false, 3), new Error('boom'));
    expect(writer.giveUp).not.toHaveBeenCalled();
    expect(finalizer.giveUp).not.toHaveBeenCalled();
  });

  it('fails the upload when a chunk is out of attempts, naming its lines', async () => {
    const { sut, writer } = await setUp();
    writer.giveUp.mockResolvedValue(undefined);
    await sut.onFailed(job('chunk', true, 25), new Error('database unavailable'));
    expect(writer.giveUp).toHaveBeenCalledWith('u1', 3, expect.stringMatching(/chunk 3 \(lines 2–9\).*database unavailable/));
  });

  it('fails the upload when Bull failed a job for stalling, whose attempt count did not move', async () => {
    const { sut, writer, finalizer } = await setUp();
    writer.giveUp.mockResolvedValue(undefined);
    finalizer.giveUp.mockResolvedValue(undefined);
    await sut.onFailed(job('chunk', true, 0), new Error('job stalled more than allowable limit'));
    await sut.onFailed(job('finalize', true, 0), new Error('job stalled more than allowable limit'));
    expect(writer.giveUp).toHaveBeenCalledWith('u1', 3, expect.stringContaining('stalled'));
    expect(finalizer.giveUp).toHaveBeenCalledWith('u1', 'job stalled more than allowable limit');
  });

  it('survives a give-up that fails (the reaper ends the upload later)', async () => {
    const { sut, finalizer } = await setUp();
    finalizer.giveUp.mockRejectedValue(new Error('database unavailable'));
    await expect(sut.onFailed(job('finalize', true, 25), new Error('x'))).resolves.toBeUndefined();
  });

  it('rethrows what the writer throws, so Bull retries it', async () => {
    const { sut, writer } = await setUp();
    writer.write.mockRejectedValue(new Error('WriteConflict'));
    await expect(sut.chunk(job('chunk', false) as never)).rejects.toThrow('WriteConflict');
  });
});
