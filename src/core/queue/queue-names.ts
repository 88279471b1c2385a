/** Bull queue names (what goes on each queue: src/ingest/ingest-queue.ts). */
export const INGEST_QUEUE = 'ingest';
