import { INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * What would tell a client where a dependency lives: an IPv4 or bracketed IPv6 address with a
 * port, a name with a port (localhost:6389, mongo-0.db:27017), a connection URI.
 */
const ADDRESS =
  /\b\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}\b|\[[\da-f:.]+\]:\d{1,5}|\b[a-z][a-z\d-]*(?:\.[a-z\d-]+)*:\d{2,5}\b|\b(?:mongodb(?:\+srv)?|rediss?):\/\//gi;

export interface RecordedResponse {
  method: string;
  url: string;
  status: number;
  headers: string;
  body: string;
}

/**
 * Records every response the app's HTTP server sends, headers and body, streamed ones (the
 * event streams) included, so that a drill can show that nothing a dependency said about
 * itself reached a client.
 */
export function recordResponses(app: INestApplication) {
  const responses: RecordedResponse[] = [];
  const server = app.getHttpServer() as Server;
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: string[] = [];
    const keep = (chunk: unknown) => {
      if (Buffer.isBuffer(chunk) || chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk).toString('utf8'));
      else if (typeof chunk === 'string') chunks.push(chunk);
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.write = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk), write(chunk, ...rest))) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => (keep(chunk), end(chunk, ...rest))) as typeof res.end;
    res.once('close', () =>
      responses.push({
        method: req.method ?? '',
        url: req.url ?? '',
        status: res.statusCode,
        headers: JSON.stringify(res.getHeaders()),
        body: chunks.join(''),
      }),
    );
  };
  server.prependListener('request', onRequest);
  return {
    responses,
    /** Every response so far that shows an address, with what it showed. */
    leaks: () =>
      responses.flatMap((r) => {
        const found = [...`${r.headers}\n${r.body}`.matchAll(ADDRESS)].map((m) => m[0]);
        return found.length ? [{ request: `${r.method} ${r.url} → ${r.status}`, found, body: r.body.slice(0, 300) }] : [];
      }),
    stop: () => server.off('request', onRequest),
  };
}

export type ResponseRecorder = ReturnType<typeof recordResponses>;
