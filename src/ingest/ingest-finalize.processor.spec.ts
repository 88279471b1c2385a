import { Job, Queue } from 'bull';
import { FinalizeJobData } from './chunk-codec';
import { FinalizeService } from './finalize.service';
import { IngestFinalizeProcessor } from './ingest-finalize.processor';

function failedJob(attemptsMade: number): Job<FinalizeJobData> {
  return { name: 'finalize', data: { uploadId: 'u1' }, attemptsMade, opts: { attempts: 10 } } as unknown as Job<FinalizeJobData>;
}

describe('IngestFinalizeProcessor', () => {
  const gaveUp: Array<[string, string]> = [];
  const finalizer = { giveUp: async (id: string, reason: string) => void gaveUp.push([id, reason]) } as unknown as FinalizeService;
  const processor = new IngestFinalizeProcessor({} as Queue, finalizer);
  beforeEach(() => gaveUp.splice(0));

  it('leaves a failed attempt to the queue while attempts remain', async () => {
    await processor.onFailed(failedJob(3), new Error('boom'));
    expect(gaveUp).toEqual([]);
  });

  it('fails the upload when finalize is out of attempts', async () => {
    await processor.onFailed(failedJob(10), new Error('database unavailable'));
    expect(gaveUp).toEqual([['u1', 'database unavailable']]);
  });

  it('rethrows what finalize throws, so Bull retries it', async () => {
    const failing = new IngestFinalizeProcessor(
      {} as Queue,
      { finalize: async () => Promise.reject(new Error('lock lost')) } as unknown as FinalizeService,
    );
    await expect(failing.process(failedJob(0))).rejects.toThrow('lock lost');
  });
});
