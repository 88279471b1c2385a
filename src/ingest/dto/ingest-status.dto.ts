import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RowError } from '../csv/row-validator';
import { INGEST_STATUSES, type IngestAccepted, type IngestStatus, type IngestStatusReport } from '../job-status';

// Swagger's view of the shapes in job-status.ts and RowError: `implements` keeps them in step.

export class IngestAcceptedDto implements IngestAccepted {
  @ApiProperty({ example: '0f8c1b3e-2b7a-4c1e-9a55-3f0c8e9d2a11' }) jobId!: string;
  @ApiProperty({ example: 'queued' }) status!: 'queued';
  @ApiProperty({ example: '/ingest/0f8c1b3e-2b7a-4c1e-9a55-3f0c8e9d2a11' }) statusUrl!: string;
}

export class IngestErrorDto implements RowError {
  @ApiProperty({ example: 17, description: 'Physical line, 1-based; the header is line 1' }) line!: number;
  @ApiProperty({ example: 'views', nullable: true, type: String, description: 'null when the row as a whole is wrong' }) column!:
    string | null;
  @ApiProperty({ example: 'views must be at least 1 (0 views make the engagement rate undefined)' }) reason!: string;
}

export class IngestStatusDto implements IngestStatusReport {
  @ApiProperty() jobId!: string;
  @ApiProperty({ enum: INGEST_STATUSES }) status!: IngestStatus;
  @ApiPropertyOptional() filename?: string;
  @ApiProperty({ description: 'Non-blank data rows = rowsAccepted + rowsRejected' }) rowsTotal!: number;
  @ApiProperty() rowsAccepted!: number;
  @ApiProperty() rowsRejected!: number;
  @ApiProperty({ description: 'Accepted rows whose key an earlier line of the same file had' }) rowsDuplicate!: number;
  @ApiProperty({ description: 'Accepted rows stored so far (new keys, and newer versions replacing older ones)' })
  rowsWritten!: number;
  @ApiProperty({
    description:
      'Accepted rows not stored because a newer version of their key already was (a later upload, or a later line of this file); once every chunk landed, rowsWritten + rowsSuperseded = rowsAccepted',
  })
  rowsSuperseded!: number;
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.5 }) progress!: number;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) startedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) finishedAt!: Date | null;
  @ApiPropertyOptional({ description: 'Why the upload failed or stopped' }) failureReason?: string;
  @ApiPropertyOptional({
    description: 'Why an unfinished upload is not moving right now; its chunks are retried meanwhile (INGEST_RETRY_WINDOW_S)',
    example: 'the database is unavailable: chunks are retried until it is back',
  })
  waiting?: string;
  @ApiProperty({ type: [IngestErrorDto], description: 'The first 50 rejected rows; all of them at errorsUrl' }) errors!: IngestErrorDto[];
  @ApiProperty({ description: 'Errors beyond INGEST_MAX_STORED_ERRORS: counted in rowsRejected, not listed at errorsUrl' })
  errorsNotStored!: number;
  @ApiProperty({ example: '/ingest/0f8c1b3e-2b7a-4c1e-9a55-3f0c8e9d2a11/errors' }) errorsUrl!: string;
}
