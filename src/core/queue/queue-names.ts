/**
 * Bull queue names (what goes on each: src/ingest/ingest-queue.ts). Chunks and finalizes
 * have a queue each: Bull gives every handler registered on one queue a share of one pool
 * of slots that takes any job, so per-kind limits on one queue do not hold.
 */
export const INGEST_QUEUE = 'ingest';
export const FINALIZE_QUEUE = 'ingest-finalize';
/** Every queue, for /health and /queues. */
export const QUEUES = [INGEST_QUEUE, FINALIZE_QUEUE] as const;
