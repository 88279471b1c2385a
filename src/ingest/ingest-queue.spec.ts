import { ServiceUnavailableException } from '@nestjs/common';
import type { Queue } from 'bull';
import type { AppConfig } from '../core/config/app-config';
import { IngestQueue } from './ingest-queue';

describe('IngestQueue', () => {
  it('answers a queue that cannot take work with a 503 that names no host or port of Redis', async () => {
    const queue = { add: jest.fn().mockRejectedValue(new Error('connect ECONNREFUSED 10.0.0.7:6379')) };
    const sut = new IngestQueue(queue as unknown as Queue, { INGEST_RETRY_WINDOW_S: 900 } as AppConfig);
    const refused = sut.addChunk({ jobId: 'j', uploadSeq: 1, index: 0, rows: [] });
    await expect(refused).rejects.toThrow(ServiceUnavailableException);
    await expect(refused).rejects.toThrow('The ingest queue cannot take work right now; try again shortly');
  });
});
