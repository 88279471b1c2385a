import { NestExpressApplication } from '@nestjs/platform-express';
import { connect } from 'node:net';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

describe('HTTP server timeouts', () => {
  const apps: NestExpressApplication[] = [];
  afterAll(() => Promise.all(apps.map((a) => a.close())));
  const start = async (env: Record<string, string> = {}) => {
    const app = await startTestApp({ MONGODB_URI: isolatedMongoUri('timeouts'), ...env });
    apps.push(app);
    return app;
  };

  it("allows an hour for a request by default, past Node's 300 s that cut large uploads", async () => {
    const server = (await start()).getHttpServer();
    expect(server.requestTimeout).toBe(3_600_000);
    expect(server.headersTimeout).toBe(60_000);
    expect(server.keepAliveTimeout).toBe(65_000);
  });

  it('applies the configured values', async () => {
    const server = (
      await start({ HTTP_REQUEST_TIMEOUT_S: '7200', HTTP_HEADERS_TIMEOUT_S: '30', HTTP_KEEP_ALIVE_TIMEOUT_S: '10' })
    ).getHttpServer();
    expect(server.requestTimeout).toBe(7_200_000);
    expect(server.headersTimeout).toBe(30_000);
    expect(server.keepAliveTimeout).toBe(10_000);
  });

  it('cuts an upload whose body stalls once the request timeout has passed', async () => {
    const app = await start({ HTTP_REQUEST_TIMEOUT_S: '1' });
    const { port } = app.getHttpServer().address() as { port: number };
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8').on('data', (d: string) => (answer += d));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    const body = 'campaignId,influencerId,likes,comments,shares,views\n';
    // Announces 10 kB, sends the header line, then nothing more.
    socket.write(`POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nContent-Length: 10000\r\n\r\n${body}`);
    await ended;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
