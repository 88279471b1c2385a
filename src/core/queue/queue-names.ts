/** Bull queue names, shared by producers (API) and consumers (workers). */
export const INGEST_QUEUE = 'ingest';

/** Job names inside INGEST_QUEUE. */
export const INGEST_JOB = {
  chunk: 'chunk',
  finalize: 'finalize',
} as const;
