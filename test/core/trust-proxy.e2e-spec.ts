import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { isolatedMongoUri, startTestApp } from '../support/test-app';

/**
 * Whose X-Forwarded-For decides the client address, and with it the rate-limit bucket:
 * only a peer TRUST_PROXY names. Requests come from two loopback addresses, 127.0.0.1
 * and 127.0.0.2, standing in for a load balancer and a client that reaches the app directly.
 */
function get(app: NestExpressApplication, from: string, forwardedFor: string): Promise<number> {
  const { port } = app.getHttpServer().address() as { port: number };
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, localAddress: from, path: '/campaigns', headers: { 'X-Forwarded-For': forwardedFor } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Statuses of requests claiming to come from each of `clients`, in order, via the peer `from`. */
const statuses = async (app: NestExpressApplication, from: string, clients: string[]) => {
  const out: number[] = [];
  for (const c of clients) out.push(await get(app, from, c));
  return out;
};

describe('TRUST_PROXY: X-Forwarded-For counts only from a trusted peer', () => {
  const apps: NestExpressApplication[] = [];
  afterAll(() => Promise.all(apps.map((a) => a.close())));
  const start = async (env: Record<string, string>) => {
    // Rate-limit counters of its own (they live in Redis under QUEUE_PREFIX).
    const prefix = `${process.env.QUEUE_PREFIX}_${randomBytes(3).toString('hex')}`;
    const app = await startTestApp({ MONGODB_URI: isolatedMongoUri('trust_proxy'), QUEUE_PREFIX: prefix, RATE_LIMIT_PER_MIN: '2', ...env });
    apps.push(app);
    return app;
  };

  it('a trusted proxy gives each client its own bucket; an untrusted peer keeps one bucket whatever it claims', async () => {
    const app = await start({ TRUST_PROXY: '127.0.0.1/32' });
    // Via the proxy: 198.51.100.1 uses up its two, 198.51.100.2 still has its own.
    expect(await statuses(app, '127.0.0.1', ['198.51.100.1', '198.51.100.1', '198.51.100.1'])).toEqual([200, 200, 429]);
    expect(await statuses(app, '127.0.0.1', ['198.51.100.2'])).toEqual([200]);
    // Directly from 127.0.0.2: a new X-Forwarded-For each time does not buy a new bucket.
    expect(await statuses(app, '127.0.0.2', ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([200, 200, 429]);
  });

  it('trusts the whole loopback range by default', async () => {
    const app = await start({});
    expect(await statuses(app, '127.0.0.2', ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([200, 200, 200]);
  });

  it('takes a hop count: the address that many proxies back', async () => {
    const app = await start({ TRUST_PROXY: '2' });
    // The client is what the outer proxy saw, whatever the client itself wrote in front of it.
    const via = (client: string) => `10.9.9.9, ${client}, 10.0.0.5`;
    expect(await statuses(app, '127.0.0.2', [via('198.51.100.7'), via('198.51.100.7'), via('198.51.100.7')])).toEqual([200, 200, 429]);
    expect(await statuses(app, '127.0.0.2', [via('198.51.100.8')])).toEqual([200]);
  });
});
