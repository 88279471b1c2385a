import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../support/processes';
import { isolatedMongoUri } from '../support/test-app';

const MAIN = join(__dirname, '../../dist/main.js');
const SECRETS = { API_KEYS: 'key-one-7f3a9c,key-two-2b8e1d', OPENAI_API_KEY: 'sk-secret-5d4c3b2a1' };

describe('secrets never reach the logs or error bodies (dist/main.js at LOG_LEVEL=debug)', () => {
  it('logs requests with valid and wrong keys and a failing LLM call without any secret', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        ...SECRETS,
        PORT: String(port),
        LOG_LEVEL: 'debug',
        MONGODB_URI: isolatedMongoUri('secrets'),
        OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
        LLM_MAX_ATTEMPTS: '1',
      },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const url = `http://127.0.0.1:${port}`;
    try {
      for (let i = 0; ; i++) {
        const ok = await fetch(`${url}/health/live`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (i > 150) throw new Error(`app did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const bodies: string[] = [];
      const call = async (path: string, init: RequestInit = {}) => bodies.push(await (await fetch(url + path, init)).text());
      await call('/campaigns', { headers: { 'X-API-Key': 'key-one-7f3a9c' } });
      await call('/campaigns', { headers: { 'X-API-Key': 'wrong-key-0000' } });
      await call('/campaigns', { headers: { Authorization: 'Bearer key-two-2b8e1d' } });
      await call('/generate_brief', {
        method: 'POST',
        headers: { 'X-API-Key': 'key-two-2b8e1d', 'Content-Type': 'application/json' },
        body: JSON.stringify({ brand: 'Acme', product: 'Shoes', goal: 'awareness', platform: 'tiktok' }),
      });
      expect(bodies[3]).toMatch(/502|LLM/);
      await new Promise((r) => setTimeout(r, 300)); // let pino flush
      expect(output).toContain('/generate_brief'); // the requests were logged at all
      for (const secret of ['key-one-7f3a9c', 'key-two-2b8e1d', 'wrong-key-0000', 'sk-secret-5d4c3b2a1']) {
        expect(output).not.toContain(secret);
        for (const b of bodies) expect(b).not.toContain(secret);
      }
    } finally {
      child.kill('SIGKILL');
    }
  });
});
