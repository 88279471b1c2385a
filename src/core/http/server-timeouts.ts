import type { Server } from 'node:http';
import { AppConfig } from '../config/app-config';

type Timeouts = Pick<AppConfig, 'HTTP_REQUEST_TIMEOUT_S' | 'HTTP_HEADERS_TIMEOUT_S' | 'HTTP_KEEP_ALIVE_TIMEOUT_S'>;

/** Node checks request and header deadlines on a timer (30 s by default), not per request. */
const MAX_CHECK_INTERVAL_MS = 30_000;

/**
 * The server's timeouts, chosen rather than inherited: Node's default request timeout
 * (300 s) cuts uploads that INGEST_MAX_BYTES allows. Must run before listen(), when Node
 * starts the timer that enforces them.
 */
export function applyServerTimeouts(server: Server, env: Timeouts): void {
  const requestMs = env.HTTP_REQUEST_TIMEOUT_S * 1000;
  // Node wants the headers deadline within the request's.
  const headersMs = Math.min(env.HTTP_HEADERS_TIMEOUT_S * 1000, requestMs);
  server.requestTimeout = requestMs;
  server.headersTimeout = headersMs;
  server.keepAliveTimeout = env.HTTP_KEEP_ALIVE_TIMEOUT_S * 1000;
  // Checked often enough that a deadline of a few seconds is kept to within a quarter of it.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(
    MAX_CHECK_INTERVAL_MS,
    Math.max(100, headersMs / 4),
  );
}
