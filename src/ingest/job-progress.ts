import { IngestStatusDto } from './dto/ingest-status.dto';

/** One event of GET /ingest/:jobId/events: the counts of the status, without its error list. */
export interface JobProgressEvent {
  jobId: string;
  status: string;
  rowsTotal: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsDuplicate: number;
  rowsWritten: number;
  progress: number;
  failureReason?: string;
}

export const isFinished = (status: string) => status === 'completed' || status === 'failed';

export function toProgressEvent(s: IngestStatusDto): JobProgressEvent {
  return {
    jobId: s.jobId,
    status: s.status,
    rowsTotal: s.rowsTotal,
    rowsAccepted: s.rowsAccepted,
    rowsRejected: s.rowsRejected,
    rowsDuplicate: s.rowsDuplicate,
    rowsWritten: s.rowsWritten,
    progress: s.progress,
    ...(s.failureReason !== undefined && { failureReason: s.failureReason }),
  };
}
