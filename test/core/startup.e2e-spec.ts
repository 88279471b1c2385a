import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const main = join(__dirname, '../../dist/main.js');

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, [main], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('start-up configuration', () => {
  it.each([
    ['PORT', { PORT: '70000' }],
    ['APP_ROLE', { APP_ROLE: 'scheduler' }],
    ['MONGODB_URI', { MONGODB_URI: 'postgres://localhost/db' }],
    ['LLM_MAX_ATTEMPTS', { LLM_MAX_ATTEMPTS: 'three' }],
    ['INGEST_CHUNK_ROWS', { INGEST_CHUNK_ROWS: '0' }],
  ])('refuses to start on an invalid %s and names it', (name, env) => {
    const res = start(env);
    expect(res.status).toBe(1);
    expect(res.stdout + res.stderr).toContain(name);
    expect(res.stdout + res.stderr).toContain('Invalid environment');
  });

  it('does not print secret values when refusing to start', () => {
    const res = start({ PORT: 'x', OPENAI_API_KEY: 'sk-very-secret-value', REDIS_URL: 'redis://:hunter2@127.0.0.1:1' });
    expect(res.status).toBe(1);
    expect(res.stdout + res.stderr).not.toContain('sk-very-secret-value');
    expect(res.stdout + res.stderr).not.toContain('hunter2');
  });
});
