import { INestApplication } from '@nestjs/common';
import { get } from 'node:http';

export interface SseEvent {
  type: string;
  data: string;
  /** ms since the request was sent: shows events arrive over time, not in one batch at the end. */
  at: number;
}

export interface SseResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  events: SseEvent[];
  /** `:` comment blocks (keepalives) the stream carried. */
  comments: number;
  /** The raw body when the answer is not a stream (errors). */
  body: string;
}

/** Reads a server-sent-events response to its end (the server closes it) and parses it. */
export function readEventStream(
  app: INestApplication,
  path: string,
  headers: Record<string, string> = {},
  {
    timeoutMs = 60_000,
    onEvent,
    onComment,
  }: { timeoutMs?: number; onEvent?: (e: SseEvent) => void; onComment?: (count: number) => void } = {},
): Promise<SseResult> {
  const { port } = app.getHttpServer().address() as { port: number };
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      const events: SseEvent[] = [];
      let comments = 0;
      let body = '';
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        pending += chunk;
        let end: number;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const ev: SseEvent = { type: 'message', data: '', at: Date.now() - started };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) ev.type = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (data.length === 0) {
            if (block.startsWith(':')) onComment?.(++comments);
            continue;
          }
          events.push({ ...ev, data: data.join('\n') });
          onEvent?.(events[events.length - 1]);
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, events, comments, body }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no end of ${path} within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
