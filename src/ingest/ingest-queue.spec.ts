import { ServiceUnavailableException } from '@nestjs/common';
import { Queue } from 'bull';
import { validateEnvironment } from '../core/config/app-config';
import { IngestQueue } from './ingest-queue';

type State = 'waiting' | 'active' | 'delayed' | 'failed';

/**
 * A Bull queue over an in-memory Redis that counts round trips: each awaited command is
 * one, a pipeline is one however many commands it carries. Jobs by id, with their state;
 * a completed job is gone (removeOnComplete), a failed one stays in the failed set.
 */
function fakeQueue(name: string, jobs: Record<string, State>) {
  const trips = { count: 0 };
  const key = (id: string) => `p:${name}:${id}`;
  const exists = (k: string) => Object.keys(jobs).some((id) => key(id) === k);
  const queue = {
    name,
    toKey: key,
    getJob: async (id: string) => {
      trips.count++;
      return jobs[id] ? { getState: async () => (trips.count++, jobs[id]) } : null;
    },
    client: {
      pipeline() {
        const replies: Array<[null, unknown]> = [];
        const p = {
          exists: (k: string) => (replies.push([null, exists(k) ? 1 : 0]), p),
          zscore: (k: string, id: string) => (replies.push([null, k === key('failed') && jobs[id] === 'failed' ? '1' : null]), p),
          exec: async () => (trips.count++, replies),
        };
        return p;
      },
    },
  };
  return { queue: queue as unknown as Queue, trips };
}

describe('IngestQueue.unfinishedWork', () => {
  const chunkStates: Record<string, State> = {};
  for (let i = 0; i < 200; i++) if (i % 3 !== 0) chunkStates[`u1:${i}`] = i % 3 === 1 ? 'delayed' : 'failed';
  chunkStates['u1:0'] = 'active';

  it('counts the chunks still to run (queued, delayed, running), not the failed or gone ones, and sees the finalize', async () => {
    const chunks = fakeQueue('ingest', chunkStates);
    const finalizes = fakeQueue('ingest-finalize', { 'u1:finalize': 'delayed', 'u2:finalize': 'failed' });
    const queue = new IngestQueue(chunks.queue, finalizes.queue, validateEnvironment({}));
    // Indexes 1, 4, 7, … are delayed (67 of them), plus index 0 active.
    expect(await queue.unfinishedWork('u1', 200)).toEqual({ chunks: 68, finalize: true });
    expect(await queue.unfinishedWork('u2', 0)).toEqual({ chunks: 0, finalize: false });
  });

  it('asks Redis once per queue, not once or twice per chunk', async () => {
    const chunks = fakeQueue('ingest', chunkStates);
    const finalizes = fakeQueue('ingest-finalize', { 'u1:finalize': 'delayed' });
    const queue = new IngestQueue(chunks.queue, finalizes.queue, validateEnvironment({}));
    await queue.unfinishedWork('u1', 200);
    expect(chunks.trips.count + finalizes.trips.count).toBeLessThanOrEqual(2);
  });
});

describe('IngestQueue.addChunk', () => {
  it('answers a queue that cannot take work with a 503 that names no host or port of Redis', async () => {
    const chunks = { add: jest.fn().mockRejectedValue(new Error('connect ECONNREFUSED 10.0.0.7:6379')) };
    const sut = new IngestQueue(chunks as unknown as Queue, {} as Queue, validateEnvironment({}));
    const refused = sut.addChunk({ jobId: 'j', uploadSeq: 1, index: 0, rows: [] });
    await expect(refused).rejects.toThrow(ServiceUnavailableException);
    await expect(refused).rejects.toThrow('The ingest queue cannot take work right now; try again shortly');
  });
});
