import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { isolatedMongoUri } from '../support/test-app';

const cli = join(__dirname, '../../dist/cli/verify-totals.js');

function run(env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [cli], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run totals:verify (dist/cli/verify-totals.js on the real services)', () => {
  it('only reads: an empty database stays empty, even where `npm start` would seed the sample', async () => {
    const uri = isolatedMongoUri('verify_cli');
    const res = await run({ MONGODB_URI: uri, INGEST_SAMPLE_ON_EMPTY: 'true' });
    expect(res.stdout).toContain('0 campaign(s), 0 creator(s): totals match the rows');
    expect(res.code).toBe(0);
    const client = await MongoClient.connect(uri);
    try {
      const db = client.db();
      for (const name of ['ingest_jobs', 'engagement_rows', 'influencer_totals', 'totals_pending', 'counters'])
        expect(await db.collection(name).countDocuments()).toBe(0);
    } finally {
      await client.close();
    }
  });
});
