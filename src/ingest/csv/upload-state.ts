import { ERRORS_IN_STATUS } from '../schemas/ingest-job.schema';
import { EngagementRow, RowError } from './row-validator';

/**
 * A copy of `s` that shares no memory with it. A field cut from the input is a V8 sliced
 * string pinning the whole decoded chunk it came from (~64 KiB); an id kept for the whole
 * upload must not keep that alive. Encoding to bytes and back always builds a new flat
 * string, unlike concatenation or slice tricks, whose copying depends on V8's length
 * thresholds; UTF-16 keeps every code unit, lone surrogates included. Paid once per
 * distinct id only.
 */
export function detach(s: string): string {
  return Buffer.from(s, 'utf16le').toString('utf16le');
}

/** Counters and buffers of one upload while it is being read. */
export class UploadState {
  rowsTotal = 0;
  rowsAccepted = 0;
  rowsRejected = 0;
  rowsDuplicate = 0;
  chunks = 0;
  errorPages = 0;
  /** Errors past maxStoredErrors: counted, not kept. */
  errorsNotStored = 0;
  private errorsStored = 0;
  private readonly campaigns = new Set<string>();
  readonly firstErrors: RowError[] = [];
  pendingErrors: RowError[] = [];

  constructor(
    readonly jobId: string,
    private readonly maxStoredErrors = Infinity,
  ) {}

  accept() {
    this.rowsTotal++;
    this.rowsAccepted++;
  }

  reject(errors: RowError[]) {
    this.rowsTotal++;
    this.rowsRejected++;
    for (const e of errors) {
      if (this.firstErrors.length < ERRORS_IN_STATUS) this.firstErrors.push(e);
      if (this.errorsStored < this.maxStoredErrors) {
        this.errorsStored++;
        this.pendingErrors.push(e);
      } else this.errorsNotStored++;
    }
  }

  /** Remembers the campaigns of `rows` (for campaignCount), each new id copied off its input. */
  countCampaigns(rows: EngagementRow[]): void {
    for (const r of rows) if (!this.campaigns.has(r.campaignId)) this.campaigns.add(detach(r.campaignId));
  }

  summary() {
    return {
      rowsTotal: this.rowsTotal,
      rowsAccepted: this.rowsAccepted,
      rowsRejected: this.rowsRejected,
      rowsDuplicate: this.rowsDuplicate,
      campaignCount: this.campaigns.size,
      firstErrors: this.firstErrors,
      errorPages: this.errorPages,
      errorsNotStored: this.errorsNotStored,
    };
  }
}
