import type { RowError } from './csv/row-validator';

/**
 * What clients are told about an upload, each shape spelled once: the DTOs under dto/
 * implement these for Swagger, and the job document stores the same status values.
 */
export const INGEST_STATUSES = ['queued', 'processing', 'completed', 'failed'] as const;
export type IngestStatus = (typeof INGEST_STATUSES)[number];
/** A job in one of these never changes again. */
export type FinishedStatus = Extract<IngestStatus, 'completed' | 'failed'>;
export const UNFINISHED_STATUSES: readonly IngestStatus[] = ['queued', 'processing'];

export const isFinished = (status: IngestStatus): status is FinishedStatus => status === 'completed' || status === 'failed';

/** The 202 answer of POST /ingest: the whole file is read and every chunk queued. */
export interface IngestAccepted {
  jobId: string;
  status: 'queued';
  statusUrl: string;
}

/** GET /ingest/:jobId: the stored figures, with live progress while the job runs. */
export interface IngestStatusReport {
  jobId: string;
  status: IngestStatus;
  filename?: string;
  rowsTotal: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsDuplicate: number;
  rowsWritten: number;
  rowsSuperseded: number;
  progress: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  failureReason?: string;
  waiting?: string;
  errors: RowError[];
  errorsNotStored: number;
  errorsUrl: string;
}

/** What each `progress` event of GET /ingest/:jobId/events carries: the counts of the status, without its error list. */
export type JobProgressEvent = Pick<
  IngestStatusReport,
  | 'jobId'
  | 'status'
  | 'rowsTotal'
  | 'rowsAccepted'
  | 'rowsRejected'
  | 'rowsDuplicate'
  | 'rowsWritten'
  | 'rowsSuperseded'
  | 'progress'
  | 'failureReason'
  | 'waiting'
>;

export function toProgressEvent(s: IngestStatusReport): JobProgressEvent {
  return {
    jobId: s.jobId,
    status: s.status,
    rowsTotal: s.rowsTotal,
    rowsAccepted: s.rowsAccepted,
    rowsRejected: s.rowsRejected,
    rowsDuplicate: s.rowsDuplicate,
    rowsWritten: s.rowsWritten,
    rowsSuperseded: s.rowsSuperseded,
    progress: s.progress,
    ...(s.failureReason !== undefined && { failureReason: s.failureReason }),
    ...(s.waiting !== undefined && { waiting: s.waiting }),
  };
}
