import { Logger } from '@nestjs/common';
import type { Request } from 'express';
import { lastValueFrom, toArray } from 'rxjs';
import type { AppConfig } from '../core/config/app-config';
import { IngestEventsController } from './ingest-events.controller';
import type { IngestStatusService } from './ingest-status.service';
import type { IngestStatusReport } from './job-status';

const jobId = '0f8c1b3e-2b7a-4c1e-9a55-3f0c8e9d2a11';
const queued = { jobId, status: 'queued', rowsTotal: 1, rowsAccepted: 1, rowsRejected: 0, rowsDuplicate: 0, rowsWritten: 0, progress: 0 };

describe('IngestEventsController', () => {
  afterEach(() => jest.restoreAllMocks());

  it('ends the stream with an error event that names no host or port when a read fails after it opened', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    // The first read succeeds (the stream opens), the next one fails as a driver would word it.
    const next = jest
      .fn<Promise<IngestStatusReport>, []>()
      .mockResolvedValueOnce(queued as IngestStatusReport)
      .mockRejectedValueOnce(new Error('connection 5 to 10.0.0.3:27017 reset by peer'));
    const statuses = { status: next, watch: () => next } as unknown as IngestStatusService;
    const config = { INGEST_EVENTS_MAX_S: 3600, INGEST_EVENTS_HEARTBEAT_MS: 60_000 } as AppConfig;
    const stream = await new IngestEventsController(statuses, config).events(jobId, {} as Request);

    const events = await lastValueFrom(stream.pipe(toArray()));
    expect(events.map((e) => e.type)).toEqual(['progress', 'error']);
    expect(events[1].data).toEqual({ jobId, status: 500, message: 'Internal server error' });
    expect(JSON.stringify(events)).not.toMatch(/10\.0\.0\.3|27017/);
    // The operator still gets the driver's words.
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('10.0.0.3:27017'));
  });
});
