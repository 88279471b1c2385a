import { Controller, Logger, MessageEvent, OnModuleDestroy, Param, Req, Sse } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import {
  catchError,
  concat,
  exhaustMap,
  distinctUntilChanged,
  interval,
  map,
  merge,
  Observable,
  of,
  ReplaySubject,
  take,
  takeWhile,
  tap,
  timer,
} from 'rxjs';
import { AppConfig } from '../core/config/app-config';
import { clientError } from '../core/http/dependency-unavailable';
import { IngestStatusService } from './ingest-status.service';
import { jobIdPipe } from './job-id.pipe';
import { isFinished, JobProgressEvent, toProgressEvent } from './job-status';

/** Fast enough for a progress bar to move smoothly, slow enough to cost one indexed read per tick. */
const EVENTS_POLL_MS = 300;

type EndReason = 'max-lifetime' | 'shutdown';

const reconnect = (jobId: string, reason: EndReason): MessageEvent => ({
  type: 'reconnect',
  data: {
    jobId,
    reason,
    message:
      reason === 'shutdown'
        ? 'The server is shutting down: open the stream again in a moment to go on watching.'
        : 'This stream has reached its maximum lifetime: open the stream again to go on watching.',
  },
});

const isLast = (e: MessageEvent) =>
  e.type === 'reconnect' || e.type === 'error' || (e.type === 'progress' && isFinished((e.data as JobProgressEvent).status));

/**
 * The throttler guard runs once per HTTP request, before the stream opens: a watched job
 * counts as one request against RATE_LIMIT_PER_MIN however many events it sends.
 */
@ApiTags('ingest')
@Controller('ingest')
export class IngestEventsController implements OnModuleDestroy {
  private readonly logger = new Logger(IngestEventsController.name);
  private readonly maxLifetimeMs: number;
  private readonly heartbeatMs: number;
  // Replayed: a stream opened while the app is closing ends at once too.
  private readonly shutdown = new ReplaySubject<'shutdown'>(1);

  constructor(
    private readonly statuses: IngestStatusService,
    config: AppConfig,
  ) {
    this.maxLifetimeMs = config.INGEST_EVENTS_MAX_S * 1000;
    this.heartbeatMs = config.INGEST_EVENTS_HEARTBEAT_MS;
  }

  /**
   * The first shutdown hook: open streams end before the database goes and before the HTTP
   * server waits for its connections, which an open stream would hold for good.
   */
  onModuleDestroy(): void {
    this.shutdown.next('shutdown');
  }

  @Sse(':jobId/events')
  @ApiOperation({
    summary: 'Watch an upload: server-sent events of its progress until it ends',
    description:
      'text/event-stream; each `progress` event carries {jobId, status, rowsTotal, rowsAccepted, rowsRejected, rowsDuplicate, ' +
      'rowsWritten, progress, failureReason?}. Sent when something changed (checked every ' +
      `${EVENTS_POLL_MS} ms); the last event has status completed or failed, then the server closes the stream. ` +
      'A `: keepalive` comment comes every INGEST_EVENTS_HEARTBEAT_MS while nothing changes. A stream still open after ' +
      'INGEST_EVENTS_MAX_S, or when the server shuts down, ends with a `reconnect` event {jobId, reason: "max-lifetime" | ' +
      '"shutdown", message}: open it again to go on watching. While the database is away the stream goes on from the live ' +
      'progress in Redis (`waiting` says why nothing moves); any other failure ends it with an `error` event {jobId, status, ' +
      'message}. Opened while the database is away: 503 with Retry-After, as GET /ingest/{jobId}. ' +
      'The first rejected rows and the full error report stay at GET /ingest/{jobId} and /errors.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'The event stream' })
  @ApiNotFoundResponse({ description: 'Unknown job id' })
  @ApiBadRequestResponse({ description: 'Not a job id (UUID v4)' })
  async events(@Param('jobId', jobIdPipe) jobId: string, @Req() req: Request): Promise<Observable<MessageEvent>> {
    const next = this.statuses.watch(jobId);
    // Read once before the stream opens, so an unknown job is a plain 404 rather than an event.
    const first = await next();
    // A tick that comes while a read is still out (a database that is away takes seconds to say so) is dropped, not queued.
    const later = timer(EVENTS_POLL_MS, EVENTS_POLL_MS).pipe(exhaustMap(() => next()));
    const progress = concat(of(first), later).pipe(
      map(toProgressEvent),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
      map((data): MessageEvent => ({ type: 'progress', data })),
      // The headers are out: no exception filter answers any more. The client gets what it may
      // know (never a driver's message, which names hosts and ports), the log the rest.
      catchError((err: unknown) => {
        const { status, message } = clientError(err);
        if (status >= 500) this.logger.warn(`events of ${jobId} ended: ${(err as Error)?.message ?? String(err)}`);
        return of<MessageEvent>({ type: 'error', data: { jobId, status, message } });
      }),
    );
    // Proxies cut a connection that stays silent (often after 60 s); a comment is ignored by clients.
    const heartbeat = interval(this.heartbeatMs).pipe(map((): MessageEvent => ({ comment: 'keepalive' })));
    // A bounded lifetime, so that no connection (nor its polling) outlives a forgotten tab for days.
    const end = merge(timer(this.maxLifetimeMs).pipe(map((): EndReason => 'max-lifetime')), this.shutdown).pipe(
      take(1),
      // The stream was sent as keep-alive: left open once it ends, the connection would hold
      // the closing server until the client or the keep-alive timeout drops it.
      tap((reason) => reason === 'shutdown' && req.res?.once('finish', () => req.socket.end())),
      map((reason) => reconnect(jobId, reason)),
    );
    return merge(progress, heartbeat, end).pipe(takeWhile((e) => !isLast(e), true));
  }
}
