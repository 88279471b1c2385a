import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { isolatedMongoUri } from '../support/test-app';

const cli = join(__dirname, '../../dist/cli/ingest-cli.js');
const dir = mkdtempSync(join(tmpdir(), 'ingest-cli-'));

function run(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run ingest -- FILE.csv (dist/cli/ingest-cli.js on the real services)', () => {
  const uri = isolatedMongoUri('cli');

  it('ingests a file through the queue, shows progress and a summary, and exits 0', async () => {
    const file = join(dir, 'good.csv');
    const rows = Array.from({ length: 120 }, (_, i) => `c_cli,inf_${i % 7},p${i},${i},1,1,${100 + i}`);
    writeFileSync(file, ['campaignId,influencerId,postId,likes,comments,shares,views', ...rows, 'c_cli,x,p_bad,1,1,1,0'].join('\n'));
    const res = await run([file], { MONGODB_URI: uri, INGEST_CHUNK_ROWS: '25' });
    expect(res.stderr).toContain('read ');
    expect(res.stderr).toContain('120/120 rows done');
    expect(res.stdout).toMatch(/COMPLETED/);
    expect(res.stdout).toContain('121 total, 120 accepted, 1 rejected');
    expect(res.stdout).toContain('120 written, 0 superseded by newer versions');
    expect(res.stdout).toContain('line 122 [views]');
    expect(res.code).toBe(0);

    const client = await MongoClient.connect(uri);
    try {
      expect(await client.db().collection('engagement_rows').countDocuments({ campaignId: 'c_cli' })).toBe(120);
      expect(await client.db().collection('influencer_totals').countDocuments({ campaignId: 'c_cli' })).toBe(7);
    } finally {
      await client.close();
    }
  });

  it('exits 1 with the reason when the file is refused, and writes nothing', async () => {
    const file = join(dir, 'bad-header.csv');
    writeFileSync(file, 'campaignId,likes\nc,1\n');
    const res = await run([file], { MONGODB_URI: uri });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Refused \(422\).*influencerId/);
    const client = await MongoClient.connect(uri);
    try {
      expect(await client.db().collection('ingest_jobs').countDocuments({ filename: 'bad-header.csv' })).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('exits 64 with usage when no file is given, and 1 for a file that does not exist', async () => {
    expect((await run([], { MONGODB_URI: uri })).code).toBe(64);
    const missing = await run([join(dir, 'nope.csv')], { MONGODB_URI: uri });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Cannot read');
  });
});
