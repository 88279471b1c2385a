import { MessageEvent, Param, Sse, Controller } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { concat, concatMap, distinctUntilChanged, map, Observable, of, takeWhile, timer } from 'rxjs';
import { IngestStatusService } from './ingest-status.service';
import { jobIdPipe } from './job-id.pipe';
import { isFinished, toProgressEvent } from './job-progress';

/** Fast enough for a progress bar to move smoothly, slow enough to cost one indexed read per tick. */
export const EVENTS_POLL_MS = 300;

/**
 * The throttler guard runs once per HTTP request, before the stream opens: a watched job
 * counts as one request against RATE_LIMIT_PER_MIN however many events it sends.
 */
@ApiTags('ingest')
@Controller('ingest')
export class IngestEventsController {
  constructor(private readonly statuses: IngestStatusService) {}

  @Sse(':jobId/events')
  @ApiOperation({
    summary: 'Watch an upload: server-sent events of its progress until it ends',
    description:
      'text/event-stream; each `progress` event carries {jobId, status, rowsTotal, rowsAccepted, rowsRejected, rowsDuplicate, ' +
      'rowsWritten, progress, failureReason?}. Sent when something changed (checked every ' +
      `${EVENTS_POLL_MS} ms); the last event has status completed or failed, then the server closes the stream. ` +
      'The first rejected rows and the full error report stay at GET /ingest/{jobId} and /errors.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'The event stream' })
  @ApiNotFoundResponse({ description: 'Unknown job id' })
  @ApiBadRequestResponse({ description: 'Not a job id (UUID v4)' })
  async events(@Param('jobId', jobIdPipe) jobId: string): Promise<Observable<MessageEvent>> {
    // Read once before the stream opens, so an unknown job is a plain 404 rather than an event.
    const first = await this.statuses.status(jobId);
    const later = timer(EVENTS_POLL_MS, EVENTS_POLL_MS).pipe(concatMap(() => this.statuses.status(jobId)));
    return concat(of(first), later).pipe(
      map(toProgressEvent),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
      takeWhile((e) => !isFinished(e.status), true),
      map((data) => ({ type: 'progress', data })),
    );
  }
}
