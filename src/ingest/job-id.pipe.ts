import { ParseUUIDPipe } from '@nestjs/common';

/** Every /ingest/:jobId route: a malformed id (not a UUID v4) is a 400, an unknown one a 404. */
export const jobIdPipe = new ParseUUIDPipe({ version: '4', errorHttpStatusCode: 400 });
